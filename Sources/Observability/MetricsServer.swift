import Hummingbird
import Prometheus

/// The worker's observability endpoints (docs/operators-guide.md#metrics-and-health) on their own listener:
/// `/metrics` (Prometheus text), `/healthz` (the process is up) and `/readyz` (it can deliver).
public enum MetricsServer {
    /// Whether the worker can deliver, and if not, why (one reason per line).
    public struct Readiness: Sendable {
        public var ready: Bool
        public var reasons: [String]

        public init(ready: Bool, reasons: [String]) {
            self.ready = ready
            self.reasons = reasons
        }
    }

    /// Builds the application; run it as a service beside the worker.
    /// `refresh` updates the gauges that are computed on scrape (jobs by state); `readiness` answers `/readyz`.
    public static func build(
        host: String, port: Int, registry: PrometheusCollectorRegistry,
        refresh: @escaping @Sendable () -> Void, readiness: @escaping @Sendable () -> Readiness,
        onListening: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            refresh()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("readyz") { _, _ -> Response in
            let state = readiness()
            let text = state.ready ? "ready\n" : state.reasons.map { $0 + "\n" }.joined()
            return Response(
                status: state.ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "mailroom-metrics"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) })
    }
}
