import Foundation
import MailroomCore
import Registry

/// What the `integrations` subcommands share: opening the registry, reading a request, printing a config.
enum IntegrationsSupport {
    /// Largest request accepted, the same limit as the HTTP API.
    static let maximumRequestSize = 64 * 1024

    /// The registry the layout flags point at, after printing any warning about it to stderr.
    static func store(_ paths: PathOptions, keyDirectories: KeyDirectories = .configured()) -> RegistryStore {
        let store = RegistryStore(path: paths.layout.registry, keyDirectories: keyDirectories)
        for warning in store.warnings() { Output.warning(warning) }
        return store
    }

    /// The request body from `source`: a file path, or `-` for stdin.
    static func readRequest(_ source: String) throws -> Data {
        let data: Data
        if source == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: source))
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
                throw PlainFailure(.noInput, "cannot read \(source): \(reason)")
            }
        }
        guard data.count <= maximumRequestSize else {
            throw PlainFailure(.dataError, "invalid integration: request is larger than 64 KiB")
        }
        return data
    }

    /// Prints the response shape of `config` (pretty JSON) to stdout.
    static func print(_ config: IntegrationConfig) {
        FileHandle.standardOutput.write(IntegrationResponse.json(for: config, pretty: true))
    }
}
