import Foundation
import MailroomCore

/// The platform's response shape for a config (docs/registry.md#the-response-shape), used by the CLI and the HTTP API alike:
/// the stored record with `api_key` left out, `changeKeys: false` added to `data`, and the
/// integration type's metadata in place of its id. Keys come in the platform's order.
public enum IntegrationResponse {
    /// The response shape of `config`, as a value (for embedding in larger documents).
    public static func object(for config: IntegrationConfig) -> JSONValue {
        .object([
            "id": .int(config.id),
            "data": .object([
                "changeKeys": .bool(false),
                "environment": .string(config.environment.rawValue),
                "from_email": .string(config.fromEmail),
                "from_name": .string(config.fromName),
            ]),
            "integration": SendGridIntegration.metadata,
            "status": .string(config.status.rawValue),
            "created_at": .string(config.createdAt),
            "updated_at": .string(config.updatedAt),
        ])
    }

    /// The response shape of `config` as JSON text (pretty-printed for people, compact for HTTP).
    public static func json(for config: IntegrationConfig, pretty: Bool = true) -> Data {
        Data((object(for: config).rendered(pretty: pretty) + "\n").utf8)
    }

    /// A JSON array of the response shapes of `configs`, in the order given.
    public static func json(for configs: [IntegrationConfig], pretty: Bool = true) -> Data {
        Data((JSONValue.array(configs.map(object(for:))).rendered(pretty: pretty) + "\n").utf8)
    }
}
