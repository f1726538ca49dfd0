import ArgumentParser
import Foundation
import MailroomCore
import Registry

/// `mailroom integrations list [--json]`: one row per config with a key fingerprint, never a key.
struct IntegrationsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List configs: id, type, environment, status, sender and key fingerprint.",
        discussion: """
            KEY is sha256: and 12 hex digits of the key's hash for a stored key, or the reference \
            (env:NAME, file:/path) as is, since a reference names a place, not a secret.
            """
    )

    @OptionGroup var paths: PathOptions

    @Flag(help: "Print a JSON array of rows instead of a table.")
    var json = false

    func run() async throws {
        let configs = try IntegrationsSupport.store(paths).load()
        if json {
            Output.line(JSONValue.array(configs.map(Self.row)).rendered(pretty: true))
        } else {
            let rows = [["ID", "TYPE", "ENVIRONMENT", "STATUS", "FROM", "KEY"]] + configs.map(Self.cells)
            Output.line(Self.table(rows))
        }
    }

    private static func cells(_ config: IntegrationConfig) -> [String] {
        let from = config.fromName.isEmpty ? config.fromEmail : "\(config.fromName) <\(config.fromEmail)>"
        return [String(config.id), SendGridIntegration.slug, config.environment.rawValue, config.status.rawValue, from, config.apiKey.fingerprint]
    }

    private static func row(_ config: IntegrationConfig) -> JSONValue {
        .object([
            "id": .int(config.id),
            "type": .string(SendGridIntegration.slug),
            "environment": .string(config.environment.rawValue),
            "status": .string(config.status.rawValue),
            "from_email": .string(config.fromEmail),
            "from_name": .string(config.fromName),
            "key_fingerprint": .string(config.apiKey.fingerprint),
        ])
    }

    /// Left-aligned columns two spaces apart; the last column is not padded.
    private static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }
}
