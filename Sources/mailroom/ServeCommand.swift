import AdminAPI
import ArgumentParser
import Foundation
import Logging
import MailroomCore
import Registry

/// `mailroom serve`: the platform's /integrations API over HTTP, on the same registry as `mailroom integrations`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the /integrations HTTP API (bearer token from MAILROOM_ADMIN_TOKEN or --admin-token-file).",
        discussion: "Prints 'mailroom serve listening on HOST:PORT' to stdout once it accepts connections; the access log goes to stderr."
    )

    @OptionGroup var paths: PathOptions
    @OptionGroup var keys: KeyDirectoryOptions

    @Option(help: "Address to listen on (port 0 picks a free one).")
    var listen = "127.0.0.1:8080"

    @Option(help: "File holding the admin bearer token (default: env MAILROOM_ADMIN_TOKEN).")
    var adminTokenFile: String?

    func run() async throws {
        // The process holds the admin token (and reads configs): no core file, no same-user ptrace.
        if let problem = CoreDumps.forbid() { Output.warning("cannot make the process non-dumpable: \(problem)") }
        let address = try ListenAddress(parsing: listen)
        let token = try AdminToken.load(file: adminTokenFile)
        let store = RegistryStore(path: paths.layout.registry, keyDirectories: keys.directories)
        for warning in store.warnings() { Output.warning(warning) }
        _ = try store.load()
        var logger = Logger(label: "mailroom.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        try await AdminAPI(store: store, token: token, logger: logger).run(host: address.host, port: address.port) { host, port in
            Output.line("mailroom serve listening on \(host):\(port)")
        }
    }
}
