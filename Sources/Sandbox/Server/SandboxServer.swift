import Hummingbird
import Logging
import NIOCore

/// `mailroom sandbox`: a local SendGrid v3 Mail Send emulator.
///
/// `init` builds the state (and loads `--store`), `buildApplication` wires routes and the
/// connection counter without binding a port, and `run` serves until SIGTERM or SIGINT.
public struct SandboxServer: Sendable {
    let configuration: SandboxConfiguration
    let state: SandboxState

    /// Warnings and worse, to stderr, through the cheap `SandboxLogHandler`.
    public static var defaultLogger: Logger { logger(level: .warning) }

    public static func logger(level: Logger.Level) -> Logger {
        Logger(label: "mailroom.sandbox") { label in SandboxLogHandler(label: label, level: level) }
    }

    public init(configuration: SandboxConfiguration) throws(SandboxFailure) {
        self.configuration = configuration
        self.state = try SandboxState(configuration: configuration)
    }

    /// The Hummingbird application; `onListening` gets the bound host and port once the socket is up.
    public func buildApplication(
        logger: Logger = SandboxServer.defaultLogger, onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: SandboxRequestContext.self)
        let mailSend = MailSendHandler(state: state)
        for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
            router.on("v3/mail/send", method: method) { _, _ in CannedResponses.json(405, CannedResponses.methodNotAllowed) }
        }
        AdminRoutes(state: state).register(on: router)
        BatchRoutes(state: state).register(on: router)
        InboxRoutes(state: state).register(on: router)
        let stats = state.stats
        let host = configuration.host
        return Application(
            responder: SandboxResponder(mailSend: mailSend, router: router.buildResponder(), token: state.token),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionCounter(stats: stats)])),
            configuration: .init(address: .hostname(host, port: configuration.port), backlog: 1024),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    public func run(logger: Logger = SandboxServer.defaultLogger, onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        try await buildApplication(logger: logger, onListening: onListening).runService()
    }
}
