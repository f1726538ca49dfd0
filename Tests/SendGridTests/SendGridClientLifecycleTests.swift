import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Shutdown and cancellation: no send is ever left hanging, and nothing is started after a stop.
@Suite("Client shutdown and cancellation", .timeLimit(.minutes(2)))
struct SendGridClientLifecycleTests {
    @Test func shutdownAbortsATransferInFlightAndReturnsPromptly() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"stall_next":1,"stall_seconds":30}"#)
        let client = try ClientFixtures.client(sandbox, totalTimeout: .seconds(60))
        let body = try ClientFixtures.body()
        let key = APIKey(TestKeys.make())
        let pending = Task { await client.send(body, key: key) }
        #expect(try await Self.eventuallyStalled(sandbox))
        let start = ContinuousClock.now
        await client.shutdown()
        let result = await pending.value
        #expect(ContinuousClock.now - start < .seconds(5))
        guard case .transient(nil, let message) = result.outcome else {
            Issue.record("an aborted send must be transient, got \(result.outcome)")
            return
        }
        #expect(message.contains("shut down"))
    }

    @Test func aSendAfterShutdownIsAnsweredAtOnceWithoutARequest() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        await client.shutdown()
        let outcome = await ClientFixtures.send(client, try ClientFixtures.body(), key: TestKeys.make())
        guard case .transient(nil, _) = outcome else {
            Issue.record("expected transient, got \(outcome)")
            return
        }
        #expect(try ClientFixtures.stat(sandbox, "total") == 0)
        await client.shutdown()  // a second shutdown is harmless
    }

    @Test func aGracefulShutdownLetsTransfersInFlightFinish() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"latency_ms":400}"#)
        let client = try ClientFixtures.client(sandbox)
        let body = try ClientFixtures.body()
        let key = APIKey(TestKeys.make())
        let pending = (0..<4).map { _ in Task { await client.send(body, key: key) } }
        // Shut down only once all four transfers are on the wire (each opened its own connection), however
        // slowly a loaded machine schedules the tasks.
        let deadline = ContinuousClock.now + .seconds(20)
        while try ClientFixtures.stat(sandbox, "connections") < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        await client.shutdown(gracePeriod: .seconds(10))
        for task in pending {
            let outcome = await task.value.outcome
            #expect(outcome.isAccepted, "got \(outcome)")
        }
    }

    @Test func cancellingTheSendingTaskAbortsItsTransfer() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"stall_next":1,"stall_seconds":30}"#)
        let client = try ClientFixtures.client(sandbox, totalTimeout: .seconds(60))
        let body = try ClientFixtures.body()
        let key = APIKey(TestKeys.make())
        let pending = Task { await client.send(body, key: key) }
        #expect(try await Self.eventuallyStalled(sandbox))
        pending.cancel()
        let result = await pending.value
        #expect(result.outcome == .transient(status: nil, message: "cancelled"))
        #expect(result.duration < .seconds(10))
        // The client is still usable.
        #expect(await ClientFixtures.send(client, body, key: TestKeys.make()).isAccepted)
        await client.shutdown()
    }

    @Test func aSendFromAnAlreadyCancelledTaskIsNeverStarted() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let body = try ClientFixtures.body()
        let key = APIKey(TestKeys.make())
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await client.send(body, key: key)
        }
        #expect(await task.value.outcome == .transient(status: nil, message: "cancelled"))
        #expect(try ClientFixtures.stat(sandbox, "total") == 0)
        await client.shutdown()
    }

    @Test func aBadAPIURLIsAConfigurationError() {
        for url in ["ftp://127.0.0.1", "127.0.0.1:80", "http://127.0.0.1 /x", "", "https://", "http://h.example/?k=v", "http://h\r\nX: y"] {
            #expect(throws: SendGridClientError.self) { try SendGridClient(configuration: SendGridClientConfiguration(apiURL: url)) }
        }
        #expect(throws: SendGridClientError.self) { try SendGridClient(configuration: SendGridClientConfiguration(maxConnections: 0)) }
        #expect(throws: SendGridClientError.self) { try SendGridClient(configuration: SendGridClientConfiguration(totalTimeout: .zero)) }
    }

    /// Waits until the sandbox reports a stalled request.
    static func eventuallyStalled(_ sandbox: SandboxProcess) async throws -> Bool {
        for _ in 0..<500 {
            if try ClientFixtures.stat(sandbox, "stalled") > 0 { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
