import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Every outcome the worker must handle, produced by a real sandbox over loopback.
@Suite("Client outcomes over loopback", .timeLimit(.minutes(2)))
struct SendGridClientOutcomeTests {
    @Test func aValidSendIsAcceptedWith202AndTheSandboxKeepsItUnderTheSameMessageID() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(to: "real@example.com", sandboxMode: false), key: TestKeys.make())
        guard case .accepted(202, let messageID?) = outcome else {
            Issue.record("expected 202 with a message id, got \(outcome)")
            return
        }
        #expect(messageID.count == 22)
        #expect(try sandbox.message(id: messageID) != nil)
        await client.shutdown()
    }

    @Test func sandboxModeIsAcceptedWith200() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(sandboxMode: true), key: TestKeys.make())
        guard case .accepted(200, _) = outcome else {
            Issue.record("expected 200, got \(outcome)")
            return
        }
        await client.shutdown()
    }

    @Test func anInvalidBodyIsRejectedWithSendGridsErrorsParsed() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let body = #"{"personalizations":[{"to":[{"email":"not an address"}]}],"from":{"email":"from@example.com"},"subject":"","content":[]}"#
        let outcome = await ClientFixtures.send(client, Data(body.utf8), key: TestKeys.make())
        guard case .rejected(400, let errors) = outcome else {
            Issue.record("expected a 400 rejection, got \(outcome)")
            return
        }
        // SendGrid reports every problem at once; each keeps its field.
        let fields = Set(errors.compactMap(\.field))
        #expect(fields.isSuperset(of: ["personalizations.0.to.0.email", "subject", "content"]))
        #expect(errors.allSatisfy { !$0.message.isEmpty })
        await client.shutdown()
    }

    @Test func aKeyTheSandboxDoesNotKnowIsRefusedWith401() async throws {
        let known = TestKeys.make()
        let sandbox = try SandboxProcess(["--key", known])
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .credentialsRefused(401, let message) = outcome else {
            Issue.record("expected 401, got \(outcome)")
            return
        }
        #expect(!message.isEmpty)
        #expect(await ClientFixtures.send(client, try ClientFixtures.body(), key: known).isAccepted)
        await client.shutdown()
    }

    @Test func anUnverifiedSenderIsRefusedWith403AndSendGridsExplanation() async throws {
        let sandbox = try SandboxProcess(["--verified-sender", "someone-else@example.com"])
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .credentialsRefused(403, let message) = outcome else {
            Issue.record("expected 403, got \(outcome)")
            return
        }
        #expect(message.contains("verified Sender Identity"))
        await client.shutdown()
    }

    @Test(arguments: [
        (401, "credentials"), (403, "credentials"), (400, "rejected"), (404, "rejected"), (413, "rejected"), (500, "transient"), (503, "transient"),
    ])
    func injectedStatusesAreClassified(status: Int, kind: String) async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[\#(status)]}"#)
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        switch (kind, outcome) {
        case ("credentials", .credentialsRefused(let got, let message)):
            #expect(got == status)
            #expect(!message.isEmpty)
        case ("rejected", .rejected(let got, let errors)):
            #expect(got == status)
            #expect(!errors.isEmpty)
        case ("transient", .transient(let got, let message)):
            #expect(got == status)
            #expect(!message.isEmpty)
        default:
            Issue.record("HTTP \(status) should be \(kind), got \(outcome)")
        }
        // The fault was one answer only: the next send goes through on the same client.
        #expect(await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make()).isAccepted)
        await client.shutdown()
    }

    @Test func aRateLimitWithRetryAfterIsDeferredUntilThen() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[429],"retry_after_seconds":7}"#)
        let client = try ClientFixtures.client(sandbox)
        let before = Date()
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .rateLimited(let until, 429) = outcome else {
            Issue.record("expected 429, got \(outcome)")
            return
        }
        #expect(until.timeIntervalSince(before) > 6 && until.timeIntervalSince(Date()) < 7.5)
        await client.shutdown()
    }

    @Test func aRateLimitWithXRateLimitResetIsDeferredUntilThatEpoch() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[429],"ratelimit_reset_in_seconds":9}"#)
        let client = try ClientFixtures.client(sandbox)
        let before = Date()
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .rateLimited(let until, 429) = outcome else {
            Issue.record("expected 429, got \(outcome)")
            return
        }
        // Epoch seconds: up to a second of rounding either way.
        #expect(until.timeIntervalSince(before) > 7.5 && until.timeIntervalSince(Date()) < 10.5)
        await client.shutdown()
    }

    @Test func aRateLimitWithoutHeadersIsDeferredAMinute() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[429]}"#)
        let client = try ClientFixtures.client(sandbox)
        let before = Date()
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .rateLimited(let until, 429) = outcome else {
            Issue.record("expected 429, got \(outcome)")
            return
        }
        #expect(until.timeIntervalSince(before) >= 59.9 && until.timeIntervalSince(Date()) <= 60.1)
        await client.shutdown()
    }

    @Test func aServerErrorWithAnHTMLBodyIsTransient() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"not_json_next":1}"#)
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .transient(500?, let message) = outcome else {
            Issue.record("expected a transient 500, got \(outcome)")
            return
        }
        #expect(!message.contains("\n"))
        await client.shutdown()
    }

    @Test func aRefusedConnectionIsTransientWithCurlsText() async throws {
        let port = try ClientFixtures.closedPort()
        let client = try SendGridClient(configuration: SendGridClientConfiguration(apiURL: "http://127.0.0.1:\(port)"))
        client.start()
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .transient(nil, let message) = outcome else {
            Issue.record("expected a transient failure without status, got \(outcome)")
            return
        }
        #expect(message.contains("curl error 7"))
        #expect(message.contains("\(port)"))
        await client.shutdown()
    }

    @Test func aStalledAnswerTimesOutAtTheClientsTotalTimeout() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"stall_next":1,"stall_seconds":30}"#)
        let client = try ClientFixtures.client(sandbox, totalTimeout: .milliseconds(700))
        let result = await client.send(try ClientFixtures.body(), key: APIKey(TestKeys.make()))
        ClientFixtures.expectClean(result.outcome)
        guard case .transient(nil, let message) = result.outcome else {
            Issue.record("expected a timeout, got \(result.outcome)")
            return
        }
        #expect(message.contains("curl error 28"))
        #expect(result.duration >= .milliseconds(650) && result.duration < .seconds(5))
        await client.shutdown()
    }

    @Test func aDroppedConnectionIsTransientAndTheNextSendReconnects() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"drop_next":1}"#)
        let client = try ClientFixtures.client(sandbox)
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .transient(nil, let message) = outcome else {
            Issue.record("expected a transient failure without status, got \(outcome)")
            return
        }
        #expect(message.hasPrefix("curl error"))
        #expect(await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make()).isAccepted)
        await client.shutdown()
    }
}

extension SendOutcome {
    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}
