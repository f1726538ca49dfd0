import Hummingbird
import MailroomCore
import NIOCore

/// The test and rehearsal API beside Mail Send: `/messages`, `/stats`, `/faults`, `/healthz`.
/// Answers are JSON; nothing here ever contains a key (records carry fingerprints only).
struct AdminRoutes: Sendable {
    let state: SandboxState

    func register(on router: Router<SandboxRequestContext>) {
        router.get("healthz") { _, _ in CannedResponses.json(200, "{\"status\":\"ok\"}") }
        router.get("messages") { request, _ in listMessages(request) }
        router.get("messages/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let record = state.store.find(id: id) else {
                return CannedResponses.json(404, "{\"error\":\(JSONText.quoted("no message with id \(id)"))}")
            }
            return CannedResponses.json(200, record.json)
        }
        router.delete("messages") { _, _ in
            CannedResponses.json(200, "{\"deleted\":\(state.store.clear())}")
        }
        router.get("stats") { _, _ in CannedResponses.json(200, state.stats.json()) }
        router.delete("stats") { _, _ in
            state.stats.reset()
            return CannedResponses.json(200, state.stats.json())
        }
        router.get("faults") { _, _ in CannedResponses.json(200, state.faults.current.json) }
        router.post("faults") { request, _ in try await setFaults(request) }
        router.delete("faults") { _, _ in
            state.faults.replace(with: FaultPlan())
            return CannedResponses.json(200, FaultPlan().json)
        }
    }

    /// `GET /messages[?to=ADDR][&since=ISO8601][&key_fingerprint=sha256:…]`, oldest first.
    private func listMessages(_ request: Request) -> Response {
        let parameters = request.uri.queryParameters
        var query = MessageStore.Query()
        query.recipient = parameters.get("to")
        query.keyFingerprint = parameters.get("key_fingerprint")
        if let since = parameters.get("since") {
            guard let date = Timestamps.parse(since) else {
                return CannedResponses.json(400, "{\"error\":\"since must be an ISO 8601 time such as 2026-03-12T20:55:53.111Z\"}")
            }
            query.sinceNanoseconds = Int((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
        }
        let records = state.store.list(query)
        var text = "["
        text.reserveCapacity(records.reduce(2) { $0 + $1.json.utf8.count + 1 })
        for (index, record) in records.enumerated() {
            if index > 0 { text += "," }
            text += record.json
        }
        text += "]"
        return CannedResponses.json(200, text)
    }

    /// `POST /faults` with a JSON plan: replaces the current plan (fields left out take defaults).
    private func setFaults(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let plan: FaultPlan
        do {
            let tree = try body.withUnsafeReadableBytes { raw throws(JSONParser.Failure) in try JSONParser.parse(raw) }
            plan = try FaultPlan(json: tree)
        } catch let failure as SandboxFailure {
            return CannedResponses.json(400, "{\"error\":\(JSONText.quoted(failure.description))}")
        } catch {
            return CannedResponses.json(400, "{\"error\":\"the fault plan is not JSON\"}")
        }
        state.faults.replace(with: plan)
        return CannedResponses.json(200, plan.json)
    }
}
