import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Connection reuse, read from the sandbox's count of TCP connections that carried Mail Send requests.
@Suite("Client connection reuse", .timeLimit(.minutes(5)))
struct SendGridClientConnectionTests {
    @Test func aThousandSequentialSendsUseOneConnection() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let key = APIKey(TestKeys.make())
        let body = try ClientFixtures.body()
        var accepted = 0
        for _ in 0..<1000 {
            let result = await client.send(body, key: key)
            if result.outcome.isAccepted { accepted += 1 } else { ClientFixtures.expectClean(result.outcome) }
        }
        #expect(accepted == 1000)
        #expect(try ClientFixtures.stat(sandbox, "connections") == 1)
        await client.shutdown()
    }

    @Test func aThousandSendsAtConcurrency16UseAtMost16Connections() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        // Some latency keeps all 16 in flight at once, so the limit is what holds the count down.
        try sandbox.setFaults(#"{"latency_ms":5}"#)
        let client = try ClientFixtures.client(sandbox, maxConnections: 16)
        let key = APIKey(TestKeys.make())
        let body = try ClientFixtures.body()
        let accepted = await Self.send(1000, concurrently: 32, client: client, body: body, key: key)
        #expect(accepted == 1000)
        let connections = try ClientFixtures.stat(sandbox, "connections")
        #expect(connections <= 16)
        #expect(connections > 1, "32 concurrent sends should have used more than one connection")
        await client.shutdown()
    }

    @Test func theConnectionLimitHoldsBelowTheCallersConcurrency() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"latency_ms":20}"#)
        let client = try ClientFixtures.client(sandbox, maxConnections: 3)
        let accepted = await Self.send(60, concurrently: 12, client: client, body: try ClientFixtures.body(), key: APIKey(TestKeys.make()))
        #expect(accepted == 60)
        #expect(try ClientFixtures.stat(sandbox, "connections") <= 3)
        await client.shutdown()
    }

    @Test func aLargeBodyIsSentWithoutWaitingForA100Continue() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox)
        let content = Data(repeating: 0x41, count: 3_000_000).base64EncodedString()
        let job = Job(
            to: [EmailAddress(email: "ana@example.com")], subject: "Invoice", text: "Attached.",
            attachments: [Attachment(filename: "invoice.pdf", content: content, type: "application/pdf")])
        let body = try PayloadBuilder.build(job: job, jobID: "big", from: ClientFixtures.sender, sandboxMode: true)
        let key = APIKey(TestKeys.make())
        // curl would add `Expect: 100-continue` to a body over 1 MB and wait up to a second for an
        // answer before sending it; the client turns that off. The fastest of three shows it.
        var fastest = Duration.seconds(3600)
        for _ in 0..<3 {
            let result = await client.send(body, key: key)
            #expect(result.outcome.isAccepted, "got \(result.outcome)")
            fastest = min(fastest, result.duration)
        }
        #expect(fastest < .milliseconds(900))
        await client.shutdown()
    }

    /// Sends `count` requests keeping `concurrency` in flight; returns how many were accepted.
    static func send(_ count: Int, concurrently concurrency: Int, client: SendGridClient, body: Data, key: APIKey) async -> Int {
        await withTaskGroup(of: SendOutcome.self) { group in
            var started = 0
            var accepted = 0
            while started < min(concurrency, count) {
                group.addTask { await client.send(body, key: key).outcome }
                started += 1
            }
            for await outcome in group {
                if outcome.isAccepted { accepted += 1 } else { ClientFixtures.expectClean(outcome) }
                if started < count {
                    group.addTask { await client.send(body, key: key).outcome }
                    started += 1
                }
            }
            return accepted
        }
    }
}
