import Hummingbird

/// Turns every error into the JSON error shape. The router answers an unknown route, or a known
/// path with a method it lacks, with a bare 404; this tells the two apart using `AdminRoutes`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdminError {
            return error.response
        } catch let error as any HTTPResponseError where error.status == .notFound {
            if let allowed = AdminRoutes.methods(forPath: request.uri.path) {
                return AdminError.methodNotAllowed(request.method, allowed: allowed).response
            }
            return AdminError.notFound("no route \(request.uri.path)").response
        } catch let error as any HTTPResponseError {
            return AdminError(status: error.status, code: "http_error", message: "the request could not be handled").response
        } catch {
            context.logger.error("admin request failed: \(type(of: error))")
            return AdminError(status: .internalServerError, code: "internal_error", message: "the request could not be handled").response
        }
    }
}
