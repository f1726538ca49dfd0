import Foundation
import MailroomCore
import TestSupport
import Testing

/// `GET /stats` counts requests by status and key, and the TCP connections Mail Send used.
@Suite(.serialized)
struct StatsTests {
    @Test func requestsAreCountedByStatusAndByKeyFingerprint() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let first = TestKeys.make()
        let second = TestKeys.make()
        for _ in 0..<3 { #expect(try sandbox.send(SandboxFixtures.validBody(), key: first).status == 202) }
        #expect(try sandbox.send("{}", key: second).status == 400)
        #expect(try sandbox.send(SandboxFixtures.validBody(sandboxMode: true), key: second).status == 200)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: nil).status == 401)
        let stats = try sandbox.stats()
        let requests = stats["requests"] as? [String: Int] ?? [:]
        #expect(requests == ["202": 3, "400": 1, "200": 1, "401": 1])
        let byKey = stats["requests_by_key"] as? [String: Int] ?? [:]
        #expect(byKey == [Fingerprint.of(first): 3, Fingerprint.of(second): 2])
        #expect(stats["total"] as? Int == 6)
        try sandbox.resetStats()
        #expect(try sandbox.stats()["total"] as? Int == 0)
    }

    @Test func connectionsCountTCPConnectionsThatCarriedMailSendNotRequests() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let headers = ["Authorization": "Bearer \(key)", "Content-Type": "application/json"]
        let reused = try RawHTTPConnection(port: sandbox.port)
        for _ in 0..<25 { #expect(try reused.send("POST", "/v3/mail/send", headers: headers, body: SandboxFixtures.validBody()).status == 202) }
        #expect(try sandbox.stats()["connections"] as? Int == 1)
        let another = try RawHTTPConnection(port: sandbox.port)
        #expect(try another.send("POST", "/v3/mail/send", headers: headers, body: SandboxFixtures.validBody()).status == 202)
        #expect(try reused.send("POST", "/v3/mail/send", headers: headers, body: SandboxFixtures.validBody()).status == 202)
        let stats = try sandbox.stats()
        #expect(stats["connections"] as? Int == 2)
        #expect(stats["total"] as? Int == 27)
        #expect((stats["connections_all"] as? Int ?? 0) >= 2)
        let admin = try RawHTTPConnection(port: sandbox.port)
        #expect(try admin.send("GET", "/stats").status == 200)
        #expect(try sandbox.stats()["connections"] as? Int == 2)
    }
}
