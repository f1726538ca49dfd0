import HTTPTypes
import Hummingbird
import MailroomCore
import NIOCore

/// The test and rehearsal API beside Mail Send: `/messages`, `/stats`, `/faults`, `/healthz`.
/// Answers are JSON; nothing here ever contains a key (records carry fingerprints only).
struct AdminRoutes: Sendable {
    let state: SandboxState

    /// The most records one page may hold: a page is for a screen or a script's loop, not a dump.
    static let maximumPageSize = 1000

    func register(on router: Router<SandboxRequestContext>) {
        router.get("healthz") { _, _ in CannedResponses.json(200, "{\"status\":\"ok\"}") }
        router.get("messages") { request, _ in listMessages(request) }
        router.get("messages/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let record = state.store.find(id: id) else { return Self.noMessage(id) }
            return CannedResponses.json(200, record.json)
        }
        router.get("messages/:id/summary") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let record = state.store.find(id: id) else { return Self.noMessage(id) }
            return CannedResponses.json(200, SummaryJSON.record(record, batches: state.batches, now: WallClock.nowNanoseconds()))
        }
        router.delete("messages/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard state.store.delete(id: id) else { return Self.noMessage(id) }
            return CannedResponses.json(200, "{\"deleted\":1}")
        }
        router.delete("messages") { _, _ in
            CannedResponses.json(200, "{\"deleted\":\(state.store.clear())}")
        }
        MessagePartRoutes(state: state).register(on: router)
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

    static func noMessage(_ id: String) -> Response {
        CannedResponses.json(404, "{\"error\":\(JSONText.quoted("no message with id \(id)"))}")
    }

    static func badQuery(_ message: String) -> Response {
        CannedResponses.json(400, "{\"error\":\(JSONText.quoted(message))}")
    }

    /// `GET /messages[?to=ADDR][&since=ISO8601][&key_fingerprint=sha256:…][&q=WORDS]`, and the paging
    /// `limit=N[&before=ID]` (newest first), optionally as summaries (`view=summary`).
    ///
    /// Without `limit`, every matching record, oldest first, streamed in chunks: the answer is never
    /// built as one string, however many messages the store holds.
    private func listMessages(_ request: Request) -> Response {
        let parameters = request.uri.queryParameters
        var query = MessageStore.Query()
        query.recipient = parameters.get("to")
        query.keyFingerprint = parameters.get("key_fingerprint")
        query.text = parameters.get("q")?.lowercased()
        if let since = parameters.get("since") {
            guard let date = Timestamps.parse(since) else {
                return Self.badQuery("since must be an ISO 8601 time such as 2026-03-12T20:55:53.111Z")
            }
            query.sinceNanoseconds = Int((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
        }
        let summaries: Bool
        switch parameters.get("view") {
        case nil, "full": summaries = false
        case "summary": summaries = true
        case .some(let other): return Self.badQuery("view \(other) is not one of full, summary")
        }
        let before = parameters.get("before")
        guard let limitText = parameters.get("limit") else {
            if before != nil || summaries { return Self.badQuery("before and view=summary need limit (1 to \(Self.maximumPageSize))") }
            return streamAll(state.store.list(query))
        }
        guard let limit = Int(limitText), (1...Self.maximumPageSize).contains(limit) else {
            return Self.badQuery("limit must be a whole number from 1 to \(Self.maximumPageSize)")
        }
        let page: MessageStore.Page
        do {
            page = try state.store.page(query, limit: limit, before: before)
        } catch {
            return Self.badQuery("before: no message with id \(before ?? ""); it was deleted or evicted, start again without before")
        }
        if summaries {
            return CannedResponses.json(200, SummaryJSON.page(page, store: state.store, batches: state.batches, now: WallClock.nowNanoseconds()))
        }
        var response = streamAll(page.records)
        if let next = page.nextBefore { response.headers[Self.nextBeforeField] = next }
        return response
    }

    /// `X-Next-Before`: the `before` of the next page of a paged full listing.
    static let nextBeforeField = HTTPField.Name("X-Next-Before")!

    /// A JSON array of `records`, written about 64 KiB at a time.
    private func streamAll(_ records: [MessageRecord]) -> Response {
        let body = ResponseBody { writer in
            var chunk = ByteBuffer(string: "[")
            for (index, record) in records.enumerated() {
                if index > 0 { chunk.writeString(",") }
                chunk.writeString(record.json)
                if chunk.readableBytes >= 64 << 10 {
                    try await writer.write(chunk)
                    chunk = ByteBuffer()
                }
            }
            chunk.writeString("]")
            try await writer.write(chunk)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
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
