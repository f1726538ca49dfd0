import Foundation
import TestSupport
import Testing

/// A job scheduled with `send_at` inside a SendGrid batch, end to end: the batch is made at the sandbox, the worker
/// sends the job with both fields, and the batch's scheduled send can then be cancelled there.
@Suite struct ScheduledBatchTests {
    @Test func aScheduledJobInABatchIsSentWithBothAndItsBatchCanBeCancelled() throws {
        let scenario = try Scenario()
        let key = TestKeys.make()
        try scenario.addConfig(environment: "stage", key: key, fromEmail: "s@mailroom.example", fromName: "S")
        let auth = ["Authorization": "Bearer \(key)", "Content-Type": "application/json"]
        let made = try scenario.sandbox.request("POST", "/v3/mail/batch", headers: auth)
        #expect(made.status == 201, "\(made.text)")
        let batch = try #require(made.object()["batch_id"] as? String)
        let sendAt = Int(Date().timeIntervalSince1970) + 3600

        try scenario.publish(
            #"{"to": "ana@example.com", "subject": "Tomorrow", "text": "Hi", "send_at": \#(sendAt), "batch_id": "\#(batch)"}"#, id: "scheduled")
        try scenario.publish(
            #"{"to": "ana@example.com", "subject": "Lost", "text": "Hi", "batch_id": "NeverMadeByTheSandbox0123456789"}"#, id: "unknown")
        #expect(try scenario.runWorker(["--drain"]).status == 0)

        let request = try #require(try scenario.sandbox.messages().first?["request"] as? [String: Any])
        #expect(request["batch_id"] as? String == batch)
        #expect(request["send_at"] as? Int == sendAt)
        #expect(try scenario.count("sent") == 1)
        let failed = try #require(scenario.events("failed", job: "unknown").first)
        #expect(failed["http_status"] as? Int == 400 && (failed["error"] as? String)?.contains("batch_id") == true, "\(failed)")

        let cancel = try scenario.sandbox.request(
            "POST", "/v3/user/scheduled_sends", headers: auth, body: Data(#"{"batch_id": "\#(batch)", "status": "cancel"}"#.utf8))
        #expect(cancel.status == 201, "\(cancel.text)")
        let hold = try scenario.sandbox.request("GET", "/v3/user/scheduled_sends/\(batch)", headers: auth)
        #expect(hold.text.contains("cancel"), "\(hold.text)")
    }

    @Test func aBatchIDThatIsNotOneIsRefusedAtEnqueue() throws {
        let scenario = try Scenario()
        let result = try MailroomBinary.run(
            scenario.home.arguments(["enqueue", "-"]),
            stdin: Data(#"{"to": "a@example.com", "subject": "s", "text": "t", "batch_id": "not a batch!"}"#.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("batch_id"), "\(result.stderr)")
    }
}
