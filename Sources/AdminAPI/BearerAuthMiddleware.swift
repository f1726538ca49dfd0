import Hummingbird

/// Refuses every request (known route or not) without `Authorization: Bearer <token>`, before any
/// other work. The header is never logged or echoed.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AdminToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer ", token.matches(header.dropFirst(7))
        else {
            throw AdminError.unauthorized
        }
        return try await next(request, context)
    }
}
