import Foundation
import MailroomCore

/// The registry file's content. On disk it is one JSON object, pretty-printed, mode 0600:
///
/// ```json
/// {
///   "next_id": 3,
///   "integrations": [
///     {"id": 1, "integration": 4, "status": "active",
///      "data": {"environment": "stage", "api_key": "env:SENDGRID_STAGE_KEY",
///               "from_email": "notifications@example.com", "from_name": "Example"},
///      "created_at": "2026-03-12T20:55:53.111Z", "updated_at": "2026-03-12T20:55:53.132Z"}
///   ]
/// }
/// ```
///
/// Each record has the platform's stored shape (docs/registry.md#the-file); `api_key` holds the key itself or a
/// reference. Ids start at 1 and come from `next_id`, which only grows, so an id is never reused.
/// Loading checks every record with the same rules as a create request.
struct RegistryFile: Sendable {
    var nextID = 1
    var configs: [IntegrationConfig] = []

    init() {}

    init(data: Data, path: String) throws(RegistryError) {
        let root: JSONValue
        do {
            root = try RequestJSON.parse(data)
        } catch {
            switch error {
            case .malformed(let line, let column): throw .brokenFile(path: path, detail: "not valid JSON at line \(line), column \(column)")
            case .duplicateKey(let field): throw .brokenFile(path: path, detail: "\(field): \(RequestJSON.Problem.duplicateMessage)")
            }
        }
        do {
            try self.init(root)
        } catch {
            guard case .invalid(let field, let message) = error else { throw error }
            throw .brokenFile(path: path, detail: "\(field): \(message)")
        }
    }

    private init(_ root: JSONValue) throws(RegistryError) {
        guard let nextID = root["next_id"]?.intValue, nextID >= 1 else {
            throw .invalid(field: "next_id", message: "expected a whole number of at least 1")
        }
        guard let records = root["integrations"]?.arrayValue else {
            throw .invalid(field: "integrations", message: "expected an array")
        }
        var seen = Set<Int>()
        for (index, record) in records.enumerated() {
            let config = try Self.config(record, path: "integrations[\(index)]")
            guard seen.insert(config.id).inserted else {
                throw .invalid(field: "integrations[\(index)].id", message: "id \(config.id) appears twice")
            }
            configs.append(config)
        }
        self.nextID = max(nextID, (seen.max() ?? 0) + 1)
    }

    private static func config(_ record: JSONValue, path: String) throws(RegistryError) -> IntegrationConfig {
        guard let id = record["id"]?.intValue, id >= 1 else { throw .invalid(field: "\(path).id", message: "expected a whole number of at least 1") }
        guard record["integration"]?.intValue == SendGridIntegration.id else {
            throw .invalid(field: "\(path).integration", message: "expected \(SendGridIntegration.id)")
        }
        guard let status = record["status"]?.stringValue.flatMap(IntegrationStatus.init(rawValue:)) else {
            throw .invalid(field: "\(path).status", message: "expected active or inactive")
        }
        let fields = try ConfigFields(
            try ConfigFields.required(record["data"], field: "\(path).data"), path: "\(path).data", keyOnlyIfChanging: false)
        guard let created = record["created_at"]?.stringValue, let updated = record["updated_at"]?.stringValue else {
            throw .invalid(field: "\(path).created_at", message: "expected created_at and updated_at timestamps")
        }
        return IntegrationConfig(
            id: id, status: status,
            environment: try ConfigFields.required(fields.environment, field: "\(path).data.environment"),
            apiKey: try ConfigFields.required(fields.apiKey, field: "\(path).data.api_key"),
            fromEmail: try ConfigFields.required(fields.fromEmail, field: "\(path).data.from_email"),
            fromName: fields.fromName ?? "", createdAt: created, updatedAt: updated)
    }

    /// The file's bytes. This is the only place a literal key is ever written out.
    func encoded() -> Data {
        let records: [JSONValue] = configs.map { config in
            .object([
                "id": .int(config.id),
                "integration": .int(config.integration),
                "status": .string(config.status.rawValue),
                "data": .object([
                    "environment": .string(config.environment.rawValue),
                    "api_key": .string(config.apiKey.storedText),
                    "from_email": .string(config.fromEmail),
                    "from_name": .string(config.fromName),
                ]),
                "created_at": .string(config.createdAt),
                "updated_at": .string(config.updatedAt),
            ])
        }
        let root = JSONValue.object(["next_id": .int(nextID), "integrations": .array(records)])
        return Data((root.rendered(pretty: true) + "\n").utf8)
    }
}
