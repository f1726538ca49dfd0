import Foundation
import MailroomCore
import ServiceLifecycle
import Synchronization

/// Posts Mail Send bodies to SendGrid over libcurl.
///
/// One curl multi handle, driven by one dedicated thread (not a Swift task), runs every
/// transfer; `send` hands its request over and suspends until the thread answers, so no Swift
/// concurrency thread ever waits on the network. Connections are pooled in the multi handle
/// and reused: at most `maxConnections` are open, and sequential sends share one.
///
/// The key is used only to build each request's `Authorization` header (wiped from memory
/// after the transfer); it is never logged and is removed from every outcome's text.
///
/// A swift-service-lifecycle `Service`: `run()` starts the thread and stops it when the group shuts down
/// (after the worker, which comes later in the group). Outside a group, `start()` and `shutdown()` do the same.
/// Requests sent before the thread starts wait in its inbox.
public final class SendGridClient: Service, Sendable {
    private let loop: CurlLoop
    private let configuration: SendGridClientConfiguration
    private let started = Atomic<Bool>(false)

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
        self.configuration = configuration
    }

    /// Starts the curl thread (once; later calls do nothing).
    public func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        CurlLoopThread.start(loop: loop, configuration: configuration)
    }

    /// Runs the curl thread until the service group shuts down (or cancels) this service, then stops it. The
    /// worker stops before (it is later in the group), so no transfer of its is left to abort.
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        await shutdown()
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
        start()
        await loop.stop(deadline: .now)
    }

    /// As `shutdown()`, but transfers in flight may finish for up to `gracePeriod` first.
    public func shutdown(gracePeriod: Duration) async {
        start()
        await loop.stop(deadline: .now + gracePeriod)
    }
}
