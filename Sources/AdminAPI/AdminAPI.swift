import Hummingbird
import Logging
import Registry

/// The platform's `/integrations` API over HTTP (`mailroom serve`): the same registry and rules as
/// `mailroom integrations`, behind a bearer token.
///
/// `buildRouter()` makes the whole request pipeline without a socket; `buildApplication` binds it
/// to an address; `run` serves until SIGINT or SIGTERM.
public struct AdminAPI: Sendable {
    /// Largest request body accepted, in bytes (64 KiB).
    public static let maximumBodySize = JSONBody.limit

    public let store: RegistryStore
    public let token: AdminToken
    public let logger: Logger

    public init(store: RegistryStore, token: AdminToken, logger: Logger) {
        self.store = store
        self.token = token
        self.logger = logger
    }

    /// The router with its middleware, outermost first: access log, JSON errors, bearer auth.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: BearerAuthMiddleware(token: token))
        AdminRoutes(registry: RegistryQueue(store: store)).add(to: router)
        return router
    }

    /// The application listening on `host:port` (port 0 picks a free one); `onReady` gets the
    /// address actually bound once the server accepts connections.
    public func buildApplication(
        host: String, port: Int, onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                await onReady(host, channel.localAddress?.port ?? port)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    public func run(host: String, port: Int, onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void) async throws {
        try await buildApplication(host: host, port: port, onReady: onReady).runService()
    }
}
