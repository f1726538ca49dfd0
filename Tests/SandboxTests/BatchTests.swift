import Foundation
import TestSupport
import Testing

/// `POST /v3/mail/batch`, `GET /v3/mail/batch/{id}` and `/v3/user/scheduled_sends`, and what the
/// inbox shows for a message with `batch_id` and `send_at`.
@Suite(.serialized)
struct BatchTests {
    static func auth(_ key: String) -> [String: String] { ["Authorization": "Bearer " + key, "Content-Type": "application/json"] }

    static func createBatch(_ sandbox: SandboxProcess, key: String) throws -> String {
        let reply = try sandbox.request("POST", "/v3/mail/batch", headers: auth(key))
        #expect(reply.status == 201)
        return try #require(reply.object()["batch_id"] as? String)
    }

    static func scheduledBody(batch: String, sendAt: Int) -> String {
        #"{"personalizations":[{"to":[{"email":"to@example.com"}]}],"from":{"email":"from@example.com"},"subject":"Later","#
            + #""content":[{"type":"text/plain","value":"x"}],"batch_id":"\#(batch)","send_at":\#(sendAt)}"#
    }

    @Test func batchIDsAreCreatedAndValidated() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let id = try Self.createBatch(sandbox, key: key)
        #expect(id.count == 32 && id.allSatisfy { $0.isLetter || $0.isNumber })
        #expect(try Self.createBatch(sandbox, key: key) != id)
        let valid = try sandbox.request("GET", "/v3/mail/batch/" + id, headers: Self.auth(key))
        #expect(valid.status == 200)
        #expect(valid.object()["batch_id"] as? String == id)
        let invalid = try sandbox.request("GET", "/v3/mail/batch/not-a-batch", headers: Self.auth(key))
        #expect(invalid.status == 400)
        #expect(invalid.errors().first?.field == "batch_id")
        #expect(try sandbox.request("POST", "/v3/mail/batch").status == 401)
        #expect(try sandbox.request("GET", "/v3/mail/batch/" + id, headers: ["Authorization": "Bearer nope"]).status == 401)
    }

    @Test func aSendNamingABatchThatWasNeverCreatedIs400() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(Self.scheduledBody(batch: "NeverCreated", sendAt: Int(Date().timeIntervalSince1970) + 600), key: TestKeys.make())
        #expect(reply.status == 400)
        #expect(reply.errors().map(\.field) == ["batch_id"])
        #expect(try sandbox.messages().isEmpty)
    }

    @Test func aScheduledSendCanBePausedCancelledAndResumedAndTheInboxShowsIt() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let batch = try Self.createBatch(sandbox, key: key)
        let sent = try sandbox.send(Self.scheduledBody(batch: batch, sendAt: Int(Date().timeIntervalSince1970) + 3600), key: key)
        #expect(sent.status == 202)
        let id = try #require(sent.headers["x-message-id"])
        func schedule() throws -> String? { try sandbox.request("GET", "/messages/\(id)/summary").object()["schedule"] as? String }
        #expect(try schedule() == "scheduled")

        let pause = try sandbox.request(
            "POST", "/v3/user/scheduled_sends", headers: Self.auth(key), body: Data(#"{"batch_id":"\#(batch)","status":"pause"}"#.utf8))
        #expect(pause.status == 201)
        #expect(pause.object()["status"] as? String == "pause")
        #expect(try schedule() == "paused")
        let listed = try sandbox.request("GET", "/v3/user/scheduled_sends", headers: Self.auth(key))
        #expect(listed.text == #"[{"batch_id":"\#(batch)","status":"pause"}]"#)

        let cancel = try sandbox.request(
            "PATCH", "/v3/user/scheduled_sends/" + batch, headers: Self.auth(key), body: Data(#"{"status":"cancel"}"#.utf8))
        #expect(cancel.status == 204)
        #expect(try schedule() == "cancelled")
        #expect(try sandbox.request("GET", "/v3/user/scheduled_sends/" + batch, headers: Self.auth(key)).text.contains("\"cancel\""))

        #expect(try sandbox.request("DELETE", "/v3/user/scheduled_sends/" + batch, headers: Self.auth(key)).status == 204)
        #expect(try schedule() == "scheduled")
        #expect(try sandbox.request("DELETE", "/v3/user/scheduled_sends/" + batch, headers: Self.auth(key)).status == 404)
    }

    @Test func scheduledSendsRefuseUnknownBatchesAndUnknownStatuses() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let batch = try Self.createBatch(sandbox, key: key)
        func post(_ body: String) throws -> SandboxProcess.Reply {
            try sandbox.request("POST", "/v3/user/scheduled_sends", headers: Self.auth(key), body: Data(body.utf8))
        }
        #expect(try post(#"{"batch_id":"unknown","status":"pause"}"#).errors().first?.field == "batch_id")
        #expect(try post(#"{"batch_id":"\#(batch)","status":"stop"}"#).errors().first?.field == "status")
        #expect(try post("not json").status == 400)
        #expect(try post(#"{"batch_id":"\#(batch)","status":"pause"}"#).status == 201)
        #expect(try post(#"{"batch_id":"\#(batch)","status":"cancel"}"#).status == 400, "a second hold is a PATCH")
        let patch = try sandbox.request(
            "PATCH", "/v3/user/scheduled_sends/unknown", headers: Self.auth(key), body: Data(#"{"status":"cancel"}"#.utf8))
        #expect(patch.status == 404)
        #expect(try sandbox.request("GET", "/v3/user/scheduled_sends").status == 401)
    }
}
