import Foundation
import MailroomCore
import TestSupport
import Testing

/// Each answer of the outcome table in docs/spool.md#outcomes moves the job where the table says.
@Suite struct FaultTests {
    static let fastRetry = ["--retry-base", "20ms", "--retry-max", "100ms"]

    @Test func transientFailuresAreRetriedUntilSent() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"statuses": [500, 500, 202]}"#)
        try scenario.publishFixtureJobs(count: 1)

        let result = try scenario.runWorker(["--drain"] + Self.fastRetry)
        #expect(result.status == 0, "\(result.stderr)")

        let deferred = scenario.events("deferred", job: "job-00001")
        #expect(deferred.map { $0["attempt"] as? Int } == [1, 2])
        #expect(deferred.allSatisfy { $0["http_status"] as? Int == 500 })
        let sent = scenario.events("sent", job: "job-00001")
        #expect(sent.count == 1)
        #expect(sent.first?["attempt"] as? Int == 3)
        #expect(try scenario.sandbox.messages().count == 1)
    }

    @Test func aBadRequestFailsWithSendGridsMessage() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"statuses": [400]}"#)
        try scenario.publishFixtureJobs(count: 1)

        try scenario.runWorker(["--drain"] + Self.fastRetry)

        let failed = scenario.events("failed", job: "job-00001")
        #expect(failed.count == 1)
        #expect((failed.first?["error"] as? String)?.contains("Bad Request") == true)
        #expect(failed.first?["http_status"] as? Int == 400)
        let reason = try Fixtures.object(try #require(scenario.home.read("spool/failed/job-00001.reason.json")))
        #expect((reason["reason"] as? String)?.contains("Bad Request") == true)
        #expect(reason["http_status"] as? Int == 400)
        let original = try Fixtures.text("jobs/booking-confirmed.json")
        #expect(scenario.home.read("spool/failed/job-00001.json") == original)
    }

    @Test func aRefusedKeyHoldsJobsAndPausesTheIntegrationUntilTheKeyChanges() throws {
        let goodKey = TestKeys.make()
        let badKey = TestKeys.make()
        let scenario = try Scenario(sandboxArguments: ["--key", goodKey])
        let id = try scenario.addConfig(environment: "stage", key: badKey, fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.publishFixtureJobs(count: 5)

        let worker = try scenario.startWorker(["--concurrency", "1", "--log-level", "debug"] + Self.fastRetry)
        defer { worker.signal(SIGKILL) }
        #expect(eventually { (try? scenario.count("held")) == 5 })
        let stats = try scenario.sandbox.stats()
        let byKey = stats["requests_by_key"] as? [String: Int] ?? [:]
        #expect(byKey[Fingerprint.of(badKey)] == 1, "exactly one request with the refused key, then the integration pauses")
        let status = try scenario.status()
        #expect(String(describing: status).contains("key_refused"))

        try scenario.changeKey(id, to: goodKey)
        #expect(eventually { (try? scenario.count("sent")) == 5 })
        #expect(try scenario.sandbox.messages().count == 5)
        #expect((try scenario.sandbox.stats()["requests_by_key"] as? [String: Int])?[Fingerprint.of(badKey)] == 1)
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
        SecretScanner.expectClean(worker.stdout + worker.stderr, context: "worker")
    }

    @Test func aRateLimitStopsRequestsUntilTheReset() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"statuses": [429], "ratelimit_reset_in_seconds": 2}"#)
        try scenario.publishFixtureJobs(count: 3)

        let started = Date()
        let result = try scenario.runWorker(["--drain", "--concurrency", "1"] + Self.fastRetry)
        #expect(result.status == 0)

        let stats = try scenario.sandbox.stats()
        let requests = stats["requests"] as? [String: Int] ?? [:]
        #expect(requests["429"] == 1, "one 429, then no request until the reset")
        #expect(try scenario.count("sent") == 3)
        let messages = try scenario.sandbox.messages()
        let firstAccepted = messages.compactMap { ($0["received_at_unix_ns"] as? Int).map { Double($0) / 1e9 } }.min() ?? 0
        #expect(firstAccepted - started.timeIntervalSince1970 >= 1.0, "sends resumed only after the reset")
        let deferred = scenario.events("deferred")
        #expect(deferred.allSatisfy { $0["attempt"] as? Int == 0 }, "a rate limit spends no attempt")
    }

    @Test func aStalledResponseIsDeferredThenSent() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"stall_next": 1, "stall_seconds": 10}"#)
        try scenario.publishFixtureJobs(count: 1)

        let result = try scenario.runWorker(["--drain", "--timeout", "500ms"] + Self.fastRetry)
        #expect(result.status == 0)
        let deferred = scenario.events("deferred", job: "job-00001")
        #expect(deferred.count == 1)
        #expect(deferred.first?["http_status"] == nil)
        #expect(scenario.events("sent", job: "job-00001").first?["attempt"] as? Int == 2)
    }

    @Test func exhaustedAttemptsFailWithTheLastError() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"statuses": [503, 503, 503, 503]}"#)
        try scenario.publishFixtureJobs(count: 1)

        try scenario.runWorker(["--drain", "--max-attempts", "3"] + Self.fastRetry)

        #expect(scenario.events("deferred", job: "job-00001").count == 2)
        let failed = try #require(scenario.events("failed", job: "job-00001").first)
        #expect(failed["attempt"] as? Int == 3)
        #expect((failed["error"] as? String)?.contains("503") == true)
        let reason = try Fixtures.object(try #require(scenario.home.read("spool/failed/job-00001.reason.json")))
        #expect(reason["attempts"] as? Int == 3)
        #expect((reason["reason"] as? String)?.contains("service unavailable") == true)
    }

    @Test func jobsNamingAnUnusableConfigFailWithTheIDs() throws {
        let scenario = try Scenario()
        let stage = try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "a@mailroom.example", fromName: "A")
        let production = try scenario.addConfig(environment: "production", key: TestKeys.make(), fromEmail: "p@mailroom.example", fromName: "P")
        try scenario.publishFixtureJobs(count: 1, prefix: "other-env", integration: production)
        try scenario.publishFixtureJobs(count: 1, prefix: "unknown", integration: 999)
        try scenario.publishFixtureJobs(count: 1, prefix: "right", integration: stage)

        try scenario.runWorker(["--drain"])

        let otherEnv = try #require(scenario.events("failed", job: "other-env-00001").first?["error"] as? String)
        #expect(otherEnv.contains("integration \(production)") && otherEnv.contains("production"))
        let unknown = try #require(scenario.events("failed", job: "unknown-00001").first?["error"] as? String)
        #expect(unknown.contains("999"))
        #expect(scenario.events("sent", job: "right-00001").count == 1)
    }
}
