import Foundation
import Hummingbird
import Logging
import MailroomCore

/// One log line per request: method, path, status and duration, nothing else (never a header,
/// a query string or a body, which is where a token or key would be). A path segment that looks like
/// a SendGrid key (a client that pasted its key into the URL) is logged as `[redacted]`.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status.code, since: start)
            return response
        } catch {
            log(request, status: 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant) {
        let milliseconds = String(format: "%.1f", (ContinuousClock.now - start).seconds * 1000)
        logger.info("\(request.method.rawValue) \(Self.redacted(request.uri.path)) \(status) \(milliseconds)ms")
    }

    static func redacted(_ path: String) -> String {
        guard path.contains("SG.") else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { $0.contains("SG.") ? "[redacted]" : String($0) }
            .joined(separator: "/")
    }
}
