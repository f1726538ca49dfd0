import Foundation
import MailroomCore
import TestSupport
import Testing

/// Each fault kind, set by flags at start and through `POST /faults`.
@Suite(.serialized)
struct FaultTests {
    @Test func aStatusSequenceFromFlagsIsConsumedOnePerRequest() throws {
        let sandbox = try SandboxProcess(["--fault-status", "500,503,202,429"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let statuses = try (0..<5).map { _ in try sandbox.send(SandboxFixtures.validBody(), key: key).status }
        #expect(statuses == [500, 503, 202, 429, 202])
        #expect(try sandbox.messages().count == 2)
    }

    @Test func serverErrorsHaveJSONBodies() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[500,502,503]}"#)
        let key = TestKeys.make()
        for (status, message) in [(500, "internal server error"), (502, "bad gateway"), (503, "service unavailable")] {
            let reply = try sandbox.send(SandboxFixtures.validBody(), key: key)
            #expect(reply.status == status)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.errors().first?.message == message)
        }
    }

    @Test func rateLimitAnswersCarryTheConfiguredHeaders() throws {
        let sandbox = try SandboxProcess(["--retry-after", "2", "--ratelimit-reset-in", "5", "--fault-status", "429"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let now = Int(Date().timeIntervalSince1970)
        let both = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(both.status == 429)
        #expect(both.text == #"{"errors":[{"field":null,"message":"too many requests"}]}"#)
        #expect(both.headers["retry-after"] == "2")
        let reset = try #require(Int(both.headers["x-ratelimit-reset"] ?? ""))
        #expect((now + 4...now + 7).contains(reset))

        try sandbox.setFaults(#"{"statuses":[429],"retry_after_seconds":3}"#)
        let retryOnly = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(retryOnly.headers["retry-after"] == "3")
        #expect(retryOnly.headers["x-ratelimit-reset"] == nil)

        try sandbox.setFaults(#"{"statuses":[429],"ratelimit_reset_in_seconds":10}"#)
        let resetOnly = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(resetOnly.headers["retry-after"] == nil)
        #expect(resetOnly.headers["x-ratelimit-reset"] != nil)

        try sandbox.setFaults(#"{"statuses":[429]}"#)
        let neither = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(neither.status == 429)
        #expect(neither.headers["retry-after"] == nil && neither.headers["x-ratelimit-reset"] == nil)
    }

    @Test func injected401And403CarrySendGridsBodies() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try sandbox.setFaults(#"{"statuses":[401,403]}"#)
        let key = TestKeys.make()
        let unauthorized = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(unauthorized.status == 401)
        #expect(unauthorized.errors().first?.message == "The provided authorization grant is invalid, expired, or revoked")
        let forbidden = try sandbox.send(SandboxFixtures.validBody(), key: key)
        #expect(forbidden.status == 403)
        #expect(forbidden.errors().first?.message.contains("verified Sender Identity") == true)
    }

    @Test func aFailureRateOfOneFailsEveryRequestWithTheChosenStatus() throws {
        let sandbox = try SandboxProcess(["--fault-rate", "1", "--failure-status", "502"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        for _ in 0..<10 { #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 502) }
        try sandbox.setFaults(#"{"failure_rate":0.5,"failure_status":500}"#)
        let statuses = try (0..<200).map { _ in try sandbox.send(SandboxFixtures.validBody(), key: key).status }
        let failures = statuses.filter { $0 == 500 }.count
        #expect((50...150).contains(failures))
        #expect(Set(statuses).isSubset(of: [500, 202]))
    }

    @Test func latencyDelaysEveryAnswer() throws {
        let sandbox = try SandboxProcess(["--latency", "150ms"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let start = ContinuousClock.now
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 202)
        #expect(ContinuousClock.now - start >= .milliseconds(150))
        try sandbox.clearFaults()
        let fast = ContinuousClock.now
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 202)
        #expect(ContinuousClock.now - fast < .milliseconds(150))
    }

    @Test func aDroppedConnectionGetsNoAnswer() throws {
        let sandbox = try SandboxProcess(["--drop-connection", "1"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let connection = try RawHTTPConnection(port: sandbox.port)
        #expect(throws: RawHTTPConnection.Closed.self) {
            try connection.send("POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(key)"], body: SandboxFixtures.validBody())
        }
        let next = try RawHTTPConnection(port: sandbox.port)
        #expect(try next.send("POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(key)"], body: SandboxFixtures.validBody()).status == 202)
        let stats = try sandbox.stats()
        #expect(stats["dropped"] as? Int == 1)
        #expect(try sandbox.messages().count == 1)
    }

    @Test func aStalledRequestOutlastsTheClientsTimeoutAndDoesNotDelayShutdown() throws {
        let sandbox = try SandboxProcess()
        try sandbox.setFaults(#"{"stall_next":1,"stall_seconds":30}"#)
        let key = TestKeys.make()
        let start = ContinuousClock.now
        #expect(throws: SandboxProcess.Failure.self) { try sandbox.send(SandboxFixtures.validBody(), key: key, timeout: 1) }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 202)
        #expect(try sandbox.stats()["stalled"] as? Int == 1)
        let stopping = ContinuousClock.now
        #expect(sandbox.stop() == 0)
        #expect(ContinuousClock.now - stopping < .seconds(10))
    }

    @Test func notJSONAnswersA500HTMLPage() throws {
        let sandbox = try SandboxProcess(["--not-json", "1"])
        defer { sandbox.stop() }
        let reply = try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make())
        #expect(reply.status == 500)
        #expect(reply.headers["content-type"] == "text/html")
        #expect(reply.text.hasPrefix("<html>"))
        #expect((try? JSONSerialization.jsonObject(with: reply.body)) == nil)
    }

    @Test func faultsScopedToOneKeyLeaveOtherKeysAlone() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let faulted = TestKeys.make()
        let healthy = TestKeys.make()
        try sandbox.setFaults(#"{"statuses":[500,500],"key_fingerprint":"\#(Fingerprint.of(faulted))"}"#)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: healthy).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: faulted).status == 500)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: healthy).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: faulted).status == 500)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: faulted).status == 202)
    }

    @Test func deleteFaultsRestoresNormalService() throws {
        let sandbox = try SandboxProcess(["--fault-rate", "1"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 503)
        try sandbox.clearFaults()
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 202)
        let plan = try sandbox.request("GET", "/faults").object()
        #expect(plan["failure_rate"] as? Double == 0)
        #expect((plan["statuses"] as? [Int])?.isEmpty == true)
    }

    @Test func aFaultPlanWithMistakesIsRefused() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        for plan in [#"{"statuse":[500]}"#, #"{"statuses":[42]}"#, #"{"failure_rate":2}"#, "not json", #"{"drop_next":"1"}"#] {
            let reply = try sandbox.request("POST", "/faults", body: Data(plan.utf8))
            #expect(reply.status == 400, "\(plan)")
            #expect(reply.object()["error"] is String, "\(plan)")
        }
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make()).status == 202)
    }
}
