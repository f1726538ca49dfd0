import Foundation
import MailroomCore
import SendGrid
import Spool
import TestSupport
import Testing

@testable import Worker

/// Every outcome of docs/operators-guide.md's states table, drain, shutdown, reload, rate limits, key pauses and
/// outages, with the worker in process: a temporary spool and a `ScriptedSender`, no binary, no socket.
@Suite struct WorkerCoreTests {
    @Test func acceptedJobsAreSentLoggedAndLeaveOnlyARecord() async throws {
        let harness = try WorkerHarness()
        let ids = try harness.publish(5)
        try await harness.runToEnd()
        for id in ids {
            #expect(harness.state(id) == .sent)
            #expect(harness.kinds(id) == ["sent"])
        }
        #expect(harness.sender.jobs.sorted() == ids.sorted())
    }

    @Test func aRefusedMessageFailsWithSendGridsReason() async throws {
        let harness = try WorkerHarness()
        try harness.publish(1)
        harness.sender.script("job-0", .rejected(status: 400, errors: [SendGridErrorDetail(message: "bad template", field: "template_id")]))
        try await harness.runToEnd()
        #expect(harness.state("job-0") == .failed)
        let failed = try #require(harness.events("job-0").last)
        #expect(failed["http_status"] as? Int == 400 && (failed["error"] as? String)?.contains("bad template") == true, "\(failed)")
    }

    @Test func aTransientFailureIsRetriedWithAnAttemptSpent() async throws {
        let harness = try WorkerHarness()
        try harness.publish(1)
        harness.sender.script("job-0", .transient(status: 503, message: "busy"))
        try await harness.runToEnd()
        #expect(harness.kinds("job-0") == ["deferred", "sent"])
        #expect(harness.events("job-0").last?["attempt"] as? Int == 2)
    }

    @Test func aJobThatKeepsFailingAloneGivesUpAfterItsAttempts() async throws {
        let harness = try WorkerHarness()
        try harness.publish(1)
        harness.sender.script(
            "job-0", .transient(status: 500, message: "a"), .transient(status: 500, message: "b"), .transient(status: 500, message: "c"))
        try await harness.runToEnd()
        #expect(harness.state("job-0") == .failed)
        #expect((harness.events("job-0").last?["error"] as? String)?.contains("gave up after 3 attempts") == true)
    }

    @Test func aRateLimitDefersWithoutSpendingAnAttempt() async throws {
        let harness = try WorkerHarness(concurrency: 1)
        try harness.publish(2)
        harness.sender.script("job-0", .rateLimited(until: Date().addingTimeInterval(0.3), status: 429))
        let started = Date()
        try await harness.runToEnd()
        #expect(harness.kinds("job-0") == ["deferred", "sent"])
        #expect(harness.events("job-0").last?["attempt"] as? Int == 1, "the rate limit spent an attempt")
        let sentAt = harness.events("job-0").last.flatMap { ($0["ts"] as? String).flatMap(Timestamps.parse) } ?? started
        #expect(sentAt.timeIntervalSince(started) >= 0.25, "sent again before the reset")
    }

    @Test func aRefusedKeyHoldsJobsUntilTheKeyChanges() async throws {
        let harness = try WorkerHarness(mode: .daemon)
        let ids = try harness.publish(3)
        harness.sender.answerAll(.credentialsRefused(status: 401, message: "revoked"))
        let worker = try harness.makeWorker()
        let run = harness.start(worker)
        #expect(await harness.until { ids.allSatisfy { harness.state($0) == .held } }, "not held: \(ids.map { harness.state($0) as Any })")
        let refusedRequests = harness.sender.jobs.count
        #expect(refusedRequests <= 4, "the paused key kept being used: \(refusedRequests) requests")

        harness.sender.clearAll()
        let newKey = TestKeys.make()
        try harness.changeKey(to: newKey)
        worker.reload()
        #expect(await harness.until { ids.allSatisfy { harness.state($0) == .sent } }, "not released after the key changed")
        #expect(harness.sender.keys.suffix(ids.count).allSatisfy { $0 == Fingerprint.of(newKey) })
        for id in ids { #expect(harness.kinds(id).suffix(3) == ["held", "requeued", "sent"], "\(id): \(harness.kinds(id))") }
        worker.requestStop()
        try await run.value
    }

    @Test func invalidUnsafeAndDuplicateEntriesEndWithoutASend() async throws {
        let harness = try WorkerHarness()
        try Data(#"{"to": "a@example.com", "subject": "x"}"#.utf8).write(to: URL(fileURLWithPath: harness.home.spool + "/new/invalid.json"))
        #expect(symlink("/etc/passwd", harness.home.spool + "/new/link.json") == 0)
        try harness.publish(1, prefix: "twice")
        try await harness.runToEnd()
        _ = try harness.spool.enqueue(Data(#"{"to": "a@example.com", "subject": "s", "text": "t"}"#.utf8), id: "other")
        // A second copy of a sent job, dropped by the same worker that sent it.
        try Data(#"{"to": "a@example.com", "subject": "s", "text": "t"}"#.utf8).write(
            to: URL(fileURLWithPath: harness.home.spool + "/new/twice-0.json"))
        try await harness.runToEnd()
        #expect(harness.state("invalid") == .failed && harness.kinds("invalid") == ["failed"])
        #expect(harness.kinds("link") == ["failed"] && (harness.events("link").first?["error"] as? String) == "symbolic link")
        #expect(harness.kinds("twice-0") == ["sent", "duplicate"])
        #expect(harness.sender.jobs.sorted() == ["other", "twice-0"])
    }

    @Test func anOutageHoldsJobsWithoutAttemptsAndAProbeReleasesThem() async throws {
        let harness = try WorkerHarness(mode: .daemon, concurrency: 2)
        let ids = try harness.publish(6)
        harness.sender.answerAll(.transient(status: nil, message: "curl error 7: Connection refused"))
        let outageStart = Date()
        let worker = try harness.makeWorker()
        let run = harness.start(worker)
        #expect(await harness.until { ids.allSatisfy { harness.state($0) == .held } }, "\(ids.map { harness.state($0) as Any })")
        #expect(worker.unavailableIntegrations() == [harness.configID])
        #expect(worker.readiness().reasons.contains { $0.contains("unavailable") })
        let whileDown = harness.sender.jobs.count
        let downSince = Date()
        try await Task.sleep(for: .milliseconds(300))
        // Probes one at a time, the wait doubling from 50 ms: within T seconds, about log2(T / 0.05) of them.
        let allowed = Int(log2(max(1, Date().timeIntervalSince(downSince) / 0.05))) + 2
        #expect(harness.sender.jobs.count - whileDown <= allowed, "probes must go one at a time with backoff")

        harness.sender.clearAll()
        // The probe wait doubles while the endpoint stays down, so the next probe comes within the time it was down.
        let down = Date().timeIntervalSince(outageStart)
        let back = await harness.until(timeout: .seconds(max(15, 2.5 * down))) { ids.allSatisfy { harness.state($0) == .sent } }
        #expect(back, "\(ids.map { harness.state($0) as Any })")
        for id in ids {
            #expect(harness.events(id).filter { $0["event"] as? String == "deferred" }.count <= 1, "\(id): \(harness.kinds(id))")
            #expect(harness.state(id) == .sent)
        }
        #expect(worker.unavailableIntegrations().isEmpty)
        worker.requestStop()
        try await run.value
    }

    @Test func aReloadPicksUpAConfigAddedWhileRunning() async throws {
        let harness = try WorkerHarness(mode: .daemon, withConfig: false)
        try harness.publish(2)
        let worker = try harness.makeWorker()
        let run = harness.start(worker)
        #expect(await harness.until { harness.state("job-0") == .held && harness.state("job-1") == .held })
        try harness.addConfig(key: TestKeys.make())
        worker.reload()
        #expect(await harness.until { harness.state("job-0") == .sent && harness.state("job-1") == .sent })
        worker.requestStop()
        try await run.value
    }

    /// The stop goes through the state machine: once it is asked for, no claim is sent, whatever the timing.
    @Test func aStopLetsInFlightSendsFinishAndClaimsNothingAfter() async throws {
        let harness = try WorkerHarness(mode: .daemon, concurrency: 2)
        let ids = try harness.publish(5)
        harness.sender.hold()
        let worker = try harness.makeWorker()
        let run = harness.start(worker)
        #expect(await harness.until { harness.sender.held == 2 })
        worker.requestStop()
        harness.sender.release()
        try await run.value
        #expect(harness.sender.jobs.count == 2, "a send started after the stop: \(harness.sender.jobs)")
        let sent = ids.filter { harness.state($0) == .sent }
        #expect(sent.count == 2)
        #expect(ids.filter { harness.state($0) == .ready }.count == 3, "the unsent jobs are not back to ready")
    }

    @Test func afterTheGracePeriodInFlightClaimsGoBackToReady() async throws {
        let harness = try WorkerHarness(mode: .daemon, concurrency: 2)
        harness.options.grace = .milliseconds(100)
        let ids = try harness.publish(2)
        harness.sender.hold()
        let worker = try harness.makeWorker()
        let run = harness.start(worker)
        #expect(await harness.until { harness.sender.held == 2 })
        worker.requestStop()
        try await run.value
        #expect(ids.allSatisfy { harness.state($0) == .ready }, "\(ids.map { harness.state($0) as Any })")
        harness.sender.release()
        try await Task.sleep(for: .milliseconds(50))
        #expect(ids.allSatisfy { harness.state($0) == .ready }, "a send that ended after the grace period moved its job")
    }
}
