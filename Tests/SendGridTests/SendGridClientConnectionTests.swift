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
