import Hummingbird
import NIOCore

/// `POST /v3/mail/batch`, `GET /v3/mail/batch/{batch_id}` and the Cancel Scheduled Sends API
/// (`/v3/user/scheduled_sends`), so a job with `batch_id` and `send_at` can be rehearsed end to end:
/// the inbox shows each such message as scheduled, paused or cancelled.
struct BatchRoutes: Sendable {
    let state: SandboxState
    /// Bodies here are a few dozen bytes; anything much larger is not one of these requests.
    static let maximumBodyBytes = 16 << 10

    func register(on router: Router<SandboxRequestContext>) {
        router.post("v3/mail/batch") { request, _ in
            if let refusal = state.refusal(for: request) { return refusal }
            guard let id = state.batches.create() else { return CannedResponses.json(429, CannedResponses.tooManyRequests) }
            return CannedResponses.json(201, "{\"batch_id\":\(JSONText.quoted(id))}")
        }
        router.get("v3/mail/batch/:batch_id") { request, context in
            if let refusal = state.refusal(for: request) { return refusal }
            let id = context.parameters.get("batch_id") ?? ""
            guard state.batches.contains(id) else { return Self.error(400, "invalid batch id", field: "batch_id") }
            return CannedResponses.json(200, "{\"batch_id\":\(JSONText.quoted(id))}")
        }
        router.post("v3/user/scheduled_sends") { request, _ in try await create(request) }
        router.get("v3/user/scheduled_sends") { request, _ in
            if let refusal = state.refusal(for: request) { return refusal }
            return CannedResponses.json(200, Self.list(state.batches.holds()))
        }
        router.get("v3/user/scheduled_sends/:batch_id") { request, context in
            if let refusal = state.refusal(for: request) { return refusal }
            let id = context.parameters.get("batch_id") ?? ""
            return CannedResponses.json(200, Self.list(state.batches.holds().filter { $0.id == id }))
        }
        router.patch("v3/user/scheduled_sends/:batch_id") { request, context in try await update(request, context: context) }
        router.delete("v3/user/scheduled_sends/:batch_id") { request, context in
            if let refusal = state.refusal(for: request) { return refusal }
            let id = context.parameters.get("batch_id") ?? ""
            guard state.batches.removeHold(on: id) else { return Self.error(404, "batch id not found", field: "batch_id") }
            return Response(status: .noContent)
        }
    }

    /// `POST /v3/user/scheduled_sends` `{"batch_id":…,"status":"pause"|"cancel"}`: 201 with the same object.
    private func create(_ request: Request) async throws -> Response {
        if let refusal = state.refusal(for: request) { return refusal }
        guard let tree = try await Self.body(request) else { return CannedResponses.json(400, CannedResponses.badRequest) }
        guard let id = tree["batch_id"]?.string, state.batches.contains(id) else {
            return Self.error(400, "invalid batch id", field: "batch_id")
        }
        guard let status = tree["status"]?.string, let hold = BatchRegistry.Hold(rawValue: status) else {
            return Self.error(400, "status must be either pause or cancel", field: "status")
        }
        guard state.batches.hold(of: id) == nil else { return Self.error(400, "batch id already has a status; use PATCH", field: "batch_id") }
        state.batches.setHold(hold, on: id)
        return CannedResponses.json(201, Self.entry(id, hold))
    }

    /// `PATCH /v3/user/scheduled_sends/{batch_id}` `{"status":…}`: 204.
    private func update(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        if let refusal = state.refusal(for: request) { return refusal }
        let id = context.parameters.get("batch_id") ?? ""
        guard let tree = try await Self.body(request) else { return CannedResponses.json(400, CannedResponses.badRequest) }
        guard let status = tree["status"]?.string, let hold = BatchRegistry.Hold(rawValue: status) else {
            return Self.error(400, "status must be either pause or cancel", field: "status")
        }
        guard state.batches.hold(of: id) != nil else { return Self.error(404, "batch id not found", field: "batch_id") }
        state.batches.setHold(hold, on: id)
        return Response(status: .noContent)
    }

    private static func body(_ request: Request) async throws -> JSONTree? {
        guard let buffer = try? await request.body.collect(upTo: maximumBodyBytes) else { return nil }
        let tree = buffer.withUnsafeReadableBytes { raw in try? JSONParser.parse(raw) }
        guard let tree, case .object = tree else { return nil }
        return tree
    }

    private static func entry(_ id: String, _ hold: BatchRegistry.Hold) -> String {
        "{\"batch_id\":\(JSONText.quoted(id)),\"status\":\"\(hold.rawValue)\"}"
    }

    private static func list(_ holds: [(id: String, hold: BatchRegistry.Hold)]) -> String {
        "[" + holds.map { entry($0.id, $0.hold) }.joined(separator: ",") + "]"
    }

    private static func error(_ status: Int, _ message: String, field: String) -> Response {
        CannedResponses.json(status, SendGridError.body([SendGridError(message: message, field: field, help: nil)]))
    }
}
