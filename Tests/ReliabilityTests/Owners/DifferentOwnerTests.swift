import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// Applications and the worker as different users with no capabilities at all, set up as the operator's guide
/// says: every state move, operator command and outcome works, no job body stays in `sent/`, and the worker
/// never stalls on a file it does not own.
@Suite(.enabled(if: Accounts.available, Accounts.skipReason))
struct DifferentOwnerTests {
    static let jobs = Soak.size(fast: 6, soak: 200)
    static let quickRetry = ["--retry-base", "300ms", "--retry-max", "300ms"]

    @Test func jobsPublishedByAnotherUserAreSentAndLeaveNoBodyBehind() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let ids = try publishHalfEachWay(deployment, count: Self.jobs)
        for id in ids {
            #expect(deployment.owner("new/\(id).json") == deployment.accounts.app.uid, "\(id) is not the application's file")
        }

        let run = try deployment.runWorker(["--drain", "--concurrency", "4"])
        #expect(run.status == 0, "\(run.stderr.suffix(600))")
        expectNoPermissionTrouble(run.stderr)
        let rig = deployment.rig
        #expect(Set(rig.jobFiles(in: "sent")) == Set(ids.map { $0 + ".json" }))
        #expect(try rig.acceptedJobIDs().sorted() == ids.sorted(), "each job once")
        let bodies = try GoodJobs.all.map { String(decoding: $0, as: UTF8.self) }
        for id in ids {
            #expect(deployment.owner("sent/\(id).json") == deployment.accounts.worker.uid, "sent/\(id).json is not the worker's own record")
            let record = rig.home.read("spool/sent/\(id).json") ?? ""
            #expect(record.utf8.count < 300 && record.contains("\"sent_at\""), "sent/\(id).json: \(record.prefix(200))")
            #expect(!bodies.contains { body in record.contains(body.prefix(60)) }, "a job body stayed in sent/")
        }
    }

    @Test func transientFailuresAndARateLimitDeferAndThenDeliver() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let ids = try publishHalfEachWay(deployment, count: 3)
        try deployment.rig.sandbox.setFaults(#"{"statuses": [503, 502, 429], "ratelimit_reset_in_seconds": 1}"#)

        let run = try deployment.runWorker(["--drain", "--concurrency", "1"] + Self.quickRetry)
        #expect(run.status == 0, "\(run.stderr.suffix(600))")
        expectNoPermissionTrouble(run.stderr)
        let rig = deployment.rig
        #expect(Set(rig.jobFiles(in: "sent")) == Set(ids.map { $0 + ".json" }), "not every job was sent: \(rig.logEvents())")
        let deferred = rig.events("deferred")
        #expect(deferred.filter { [502, 503].contains($0["http_status"] as? Int ?? 0) }.count == 2, "\(deferred)")
        #expect(deferred.filter { $0["http_status"] as? Int == 429 && $0["attempt"] as? Int == 0 }.count == 1, "\(deferred)")
        #expect(rig.events("sent").map { $0["attempt"] as? Int ?? 0 }.sorted() == [1, 2, 2])
        #expect(rig.jobFiles(in: "deferred").isEmpty && (rig.home.read("spool/meta") == nil))
    }

    @Test func aRefusedKeyHoldsJobsUntilTheKeyChanges() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        let oldKey = TestKeys.make()
        let id = try deployment.addConfig(key: oldKey)
        try deployment.rig.sandbox.setFaults(#"{"failure_rate": 1, "failure_status": 401, "key_fingerprint": "\#(Fingerprint.of(oldKey))"}"#)
        let ids = try publishHalfEachWay(deployment, count: 4)
        let worker = try deployment.startWorker(["--concurrency", "2"])
        let rig = deployment.rig
        #expect(eventually { rig.jobFiles(in: "paused").count == ids.count }, "held: \(rig.names(in: "paused")) \(worker.stderr.suffix(400))")

        let newKey = TestKeys.make()
        let update = try deployment.asWorker(
            ["integrations", "update", String(id), "-"], stdin: Data(#"{"data": {"api_key": "\#(newKey)", "changeKeys": true}}"#.utf8))
        #expect(update.status == 0, "\(update.stderr)")
        #expect(eventually { rig.jobFiles(in: "sent").count == ids.count }, "not released after the key changed: \(rig.names(in: "paused"))")
        let byKey = try rig.sandbox.stats()["requests_by_key"] as? [String: Int] ?? [:]
        #expect(byKey[Fingerprint.of(newKey)] == ids.count, "\(byKey)")
        for job in ids {
            let kinds = rig.events(job: job).compactMap { $0["event"] as? String }
            #expect(kinds.suffix(3) == ["held", "requeued", "sent"], "\(job): \(kinds)")
        }
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
        expectNoPermissionTrouble(worker.stderr)
    }

    @Test func aBadRequestFailsTheJobWithItsReasonAndKeepsItWhole() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let job = try GoodJobs.all[0]
        try deployment.enqueue(job, id: "refused")
        try deployment.rig.sandbox.setFaults(#"{"failure_rate": 1, "failure_status": 400}"#)
        let run = try deployment.runWorker(["--drain"])
        #expect(run.status == 0)
        expectNoPermissionTrouble(run.stderr)
        let rig = deployment.rig
        #expect(FileManager.default.contents(atPath: deployment.spool + "/failed/refused.json") == job)
        #expect(deployment.owner("failed/refused.json") == deployment.accounts.app.uid)
        #expect((rig.reason("refused")?["http_status"] as? Int) == 400, "\(rig.reason("refused") ?? [:])")
    }

    @Test func duplicatesPublishedByTheApplicationAreNeverSentTwice() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let job = try GoodJobs.all[1]
        try deployment.enqueue(job, id: "once")
        let again = try deployment.enqueue(job, id: "once")
        #expect(again.stderr.contains("already in the spool"), "\(again.stderr)")
        #expect(try deployment.runWorker(["--drain"]).status == 0)

        // The application cannot look into sent/, so it publishes again; the worker drops the copy.
        try deployment.enqueue(job, id: "once")
        try deployment.publishDirect(job, id: "once-too")
        try deployment.publishDirect(job, id: "once-too")
        #expect(try deployment.runWorker(["--drain"]).status == 0)
        let rig = deployment.rig
        let accepted = try rig.acceptedJobIDs()
        #expect(accepted.sorted() == ["once", "once-too"], "\(accepted)")
        #expect(rig.events("duplicate", job: "once").count == 1, "\(rig.events(job: "once"))")
        #expect(rig.jobFiles(in: "new").isEmpty && rig.names(in: "active").isEmpty)
    }

    @Test func operatorCommandsWorkAsTheWorkersUser() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let ids = try publishHalfEachWay(deployment, count: 4)
        try deployment.rig.sandbox.setFaults(#"{"statuses": [503, 400, 503]}"#)
        // Three answers that leave one job failed and two deferred for an hour; the fourth job is sent.
        #expect(try deployment.runWorker(["--once", "--concurrency", "1", "--retry-base", "1h", "--retry-max", "1h"]).status == 0)
        let rig = deployment.rig
        let deferred = rig.jobFiles(in: "deferred").map { String($0.dropLast(5)) }.sorted()
        let failed = rig.jobFiles(in: "failed").map { String($0.dropLast(5)) }
        try #require(deferred.count == 2 && failed.count == 1, "deferred \(deferred), failed \(failed), sent \(rig.jobFiles(in: "sent"))")

        for command in [["hold", deferred[0]], ["release", deferred[0]], ["retry", deferred[1]], ["retry", failed[0]], ["delete", deferred[0]]] {
            let result = try deployment.asWorker(command)
            #expect(result.status == 0, "\(command) as the worker's user: \(result.stderr)")
            expectNoPermissionTrouble(result.stderr)
        }
        #expect(try deployment.runWorker(["--drain"]).status == 0)
        let sent = Set(rig.jobFiles(in: "sent").map { String($0.dropLast(5)) })
        #expect(sent == Set(ids).subtracting([deferred[0]]), "sent \(sent)")
        #expect(rig.events("deleted", job: deferred[0]).count == 1)
        #expect(rig.names(in: "deferred").isEmpty && rig.jobFiles(in: "failed").isEmpty)
    }

    @Test func sigtermAndKillNineLoseNothing() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        let count = Soak.size(fast: 24, soak: 400)
        let ids = try publishHalfEachWay(deployment, count: count)
        try deployment.rig.sandbox.setFaults(#"{"latency_ms": 100}"#)
        let rig = deployment.rig

        let first = try deployment.startWorker(["--concurrency", "4", "--grace", "5s"])
        #expect(eventually { rig.jobFiles(in: "sent").count >= 4 })
        first.signal(SIGTERM)
        #expect(first.wait(timeout: .seconds(20)) == 0, "\(first.stderr.suffix(500))")
        #expect(rig.names(in: "active").isEmpty, "SIGTERM left claims behind: \(rig.names(in: "active"))")

        let second = try deployment.startWorker(["--concurrency", "4"])
        #expect(eventually { rig.jobFiles(in: "sent").count >= 12 })
        second.signal(SIGKILL)
        _ = second.wait(timeout: .seconds(20))

        let third = try deployment.startWorker(["--concurrency", "4"])
        #expect(
            eventually(timeout: .seconds(60)) { rig.jobFiles(in: "sent").count == ids.count },
            "sent \(rig.jobFiles(in: "sent").count) of \(ids.count)")
        third.signal(SIGTERM)
        #expect(third.wait(timeout: .seconds(20)) == 0)
        let accepted = try rig.acceptedJobIDs()
        #expect(Set(accepted) == Set(ids), "a job was lost")
        #expect(accepted.count - ids.count <= 4, "more re-sends than the jobs in flight at the kill: \(accepted.count - ids.count)")
        OwnerFigures.add(
            "owners", ["kill_jobs": ids.count, "kill_lost": Set(ids).subtracting(accepted).count, "kill_resent": accepted.count - ids.count])
        for process in [first, second, third] { expectNoPermissionTrouble(process.stderr) }
    }

    @Test func aFolderTheWorkerCannotWriteFailsOneJobAndTheRestGoOn() throws {
        let deployment = try Deployment()
        defer { deployment.finish() }
        try deployment.addConfig(key: TestKeys.make())
        // deferred/ belongs to someone else: deferring is refused for the one job that needs it.
        let deferred = deployment.spool + "/deferred"
        #expect(chown(deferred, 0, 0) == 0 && chmod(deferred, 0o755) == 0)
        let ids = try publishHalfEachWay(deployment, count: 4)
        try deployment.rig.sandbox.setFaults(#"{"statuses": [503]}"#)
        let worker = try deployment.startWorker(["--concurrency", "1"])
        let rig = deployment.rig
        #expect(
            eventually { rig.jobFiles(in: "sent").count == ids.count - 1 && rig.jobFiles(in: "failed").count == 1 },
            "sent \(rig.jobFiles(in: "sent")), failed \(rig.jobFiles(in: "failed")), active \(rig.names(in: "active"))")
        let failedID = rig.jobFiles(in: "failed").first.map { String($0.dropLast(5)) } ?? "?"
        let reason = rig.reason(failedID)?["reason"] as? String ?? ""
        #expect(reason.contains("Permission denied") && reason.contains("mailroom retry \(failedID)"), "\(reason)")
        #expect(!worker.stderr.contains("claiming nothing new"), "the worker stalled on one job's permission error")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
    }

    /// Publishes `count` good jobs as the application: the first half with `enqueue`, the rest by hand.
    private func publishHalfEachWay(_ deployment: Deployment, count: Int) throws -> [String] {
        let jobs = try GoodJobs.all
        OwnerFigures.add("owners", ["jobs_published": count])
        return try (0..<count).map { index in
            let id = String(format: "owned-%05d", index + 1)
            if index < count / 2 {
                try deployment.enqueue(jobs[index % jobs.count], id: id)
            } else {
                try deployment.publishDirect(jobs[index % jobs.count], id: id)
            }
            return id
        }
    }

    private func expectNoPermissionTrouble(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for trouble in ["Operation not permitted", "Permission denied", "claiming nothing new"] {
            #expect(!text.contains(trouble), "\(trouble): \(text.suffix(800))", sourceLocation: sourceLocation)
        }
    }
}
