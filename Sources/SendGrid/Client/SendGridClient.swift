import Foundation
import MailroomCore

/// Posts Mail Send bodies to SendGrid over libcurl.
///
/// One curl multi handle, driven by one dedicated thread (not a Swift task), runs every
/// transfer; `send` hands its request over and suspends until the thread answers, so no Swift
/// concurrency thread ever waits on the network. Connections are pooled in the multi handle
/// and reused: at most `maxConnections` are open, and sequential sends share one.
///
/// The key is used only to build each request's `Authorization` header (wiped from memory
/// after the transfer); it is never logged and is removed from every outcome's text.
public final class SendGridClient: Sendable {
    private let loop: CurlLoop

    public init(configuration: SendGridClientConfiguration) throws {
        try Self.checkAPIURL(configuration.apiURL, allowInsecureHTTP: configuration.allowInsecureHTTP)
        if let caFile = configuration.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw SendGridClientError(field: "ca_file", "cannot read \(caFile)")
            }
        }
        guard configuration.maxConnections > 0 else { throw SendGridClientError(field: "max_connections", "must be at least 1") }
        guard configuration.connectTimeout > .zero, configuration.totalTimeout > .zero else {
            throw SendGridClientError(field: "timeout", "timeouts must be positive")
        }
        loop = try CurlLoop(maxConnections: configuration.maxConnections)
        CurlLoopThread.start(loop: loop, configuration: configuration)
    }

    /// An http(s) URL with a host, and nothing curl could read as a second header line; `http://`
    /// only to a loopback host unless `allowInsecureHTTP`, since the Bearer key travels in the request.
    private static func checkAPIURL(_ text: String, allowInsecureHTTP: Bool) throws(SendGridClientError) {
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw SendGridClientError(field: "api_url", "may not contain white space or control characters")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, components.query == nil, components.fragment == nil
        else {
            throw SendGridClientError(
                field: "api_url", "must be an http:// or https:// URL with a host and no query, such as https://api.sendgrid.com")
        }
        if scheme == "http", !allowInsecureHTTP, !LoopbackHost.contains(host) {
            throw SendGridClientError(
                field: "api_url",
                "http:// to \(host) would send the API key over the network in clear text; use https://, "
                    + "a loopback host (127.0.0.0/8, ::1, localhost), or --allow-insecure-http")
        }
    }

    deinit {
        loop.requestStop()
    }

    /// Posts `payload` authenticated with `key` and returns how SendGrid answered.
    ///
    /// Never throws: every failure is an outcome. Cancelling the calling task aborts the
    /// transfer and returns `.transient(status: nil, message: "cancelled")`.
    public func send(_ payload: Data, key: APIKey) async -> SendResult {
        let start = ContinuousClock.now
        let token = RequestToken()
        let loop = self.loop
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(PendingRequest(body: payload, key: key, start: start, token: token, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(token)
        }
    }

    /// Stops the curl thread: transfers in flight are aborted (their sends return `.transient`),
    /// later sends are answered `.transient` at once, every handle is cleaned up, then this returns.
    public func shutdown() async {
        await loop.stop(deadline: .now)
    }

    /// As `shutdown()`, but transfers in flight may finish for up to `gracePeriod` first.
    public func shutdown(gracePeriod: Duration) async {
        await loop.stop(deadline: .now + gracePeriod)
    }
}
