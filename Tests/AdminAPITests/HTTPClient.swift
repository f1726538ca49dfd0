import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A finished HTTP exchange.
struct HTTPResult: Sendable {
    var status: Int
    var body: String
    var headers: [String: String]

    /// The body parsed as a JSON object (empty if it is not one).
    var object: [String: Any] { (try? Fixtures.object(body)) ?? [:] }

    /// The `error` object of an error answer.
    var error: [String: Any] { object["error"] as? [String: Any] ?? [:] }
}

/// Requests to a `ServerProcess` over real HTTP on loopback, through URLSession. Every answer is
/// scanned for registered API keys.
struct HTTPClient: Sendable {
    let server: ServerProcess
    /// The `Authorization` header sent; by default the server's bearer token.
    var authorization: String?

    init(_ server: ServerProcess, authorization: String? = nil) {
        self.server = server
        self.authorization = authorization ?? "Bearer \(server.token)"
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    func send(
        _ method: String, _ path: String, body: Data? = nil, contentType: String? = "application/json",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> HTTPResult {
        var request = URLRequest(url: try #require(URL(string: server.baseURL + path)))
        request.httpMethod = method
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await Self.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for case let (name as String, value as String) in http.allHeaderFields { headers[name.lowercased()] = value }
        let result = HTTPResult(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
        SecretScanner.expectClean(result.body, context: "\(method) \(path)", sourceLocation: sourceLocation)
        return result
    }
}
