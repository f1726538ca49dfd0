import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// A full disk and permissions that bite: nothing partial becomes visible, no job is lost or sent twice, the
/// errors say what is wrong, and the worker resumes on its own once the disk takes writes again.
@Suite struct DiskAndPermissionTests {
    static let fastRetry = ["--retry-base", "50ms", "--retry-max", "100ms"]

    @Test(.enabled(if: TinyDisk.available, TinyDisk.skipReason))
    func enqueueOnAFullSpoolFailsWithExit74AndLeavesNothingPartial() throws {
        let rig = try Rig()
        let disk = try #require(TinyDisk(at: rig.spool))
        defer { disk.unmount() }
        defer { rig.finish() }
        let job = try GoodJobs.all[3]

        // Fill the spool job by job, then with a filler file, until enqueue is refused.
        var accepted: [String] = []
        var refusal: ProcessResult?
        for index in 0..<200 {
            if index == 5 { disk.fill() }
            let result = try rig.mailroom(["enqueue", "-", "--id", "fill-\(index)"], stdin: job)
            if result.status != 0 {
                refusal = result
                break
            }
            accepted.append("fill-\(index)")
        }
        let refused = try #require(refusal, "the tiny disk never filled")
        #expect(refused.status == 74, "exit \(refused.status): \(refused.stderr)")
        #expect(refused.stderr.contains("No space left on device"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty, "an ID was printed for a job that was not published")
        #expect(rig.names(in: "tmp").isEmpty, "a partial job was left in tmp/: \(rig.names(in: "tmp"))")
        #expect(Set(rig.jobFiles(in: "new")) == Set(accepted.map { $0 + ".json" }), "new/ holds a job that was refused")
        for name in rig.jobFiles(in: "new") {
            #expect(FileManager.default.contents(atPath: rig.spool + "/new/" + name) == job, "new/\(name) is not whole")
        }

        // Space returns: the same enqueue goes through.
        disk.free()
        let again = try rig.mailroom(["enqueue", "-", "--id", "after-space"], stdin: job)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: rig.spool + "/new/after-space.json") == job)
    }

    @Test(.enabled(if: TinyDisk.available, TinyDisk.skipReason))
    func aWorkerOnAFullSpoolKeepsEveryJobAndResumesWhenSpaceReturns() throws {
        let rig = try Rig()
        let disk = try #require(TinyDisk(at: rig.spool))
        defer { disk.unmount() }
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let ids = try rig.publishJobs(count: 12, prefix: "full")
        disk.fill()
        // Three answers that defer their job: a deferral must write to the full spool.
        try rig.sandbox.setFaults(#"{"statuses": [503, 503, 503]}"#)
        let worker = try rig.start(["--concurrency", "4"] + Self.fastRetry)

        // The first answers come; the deferrals cannot be written, so the worker keeps those claims and stops claiming.
        #expect(eventually { requests(rig) >= 4 }, "no request went out")
        Thread.sleep(forTimeInterval: 1)
        #expect(requests(rig) <= 4, "the worker kept sending while it could not record outcomes: \(requests(rig)) requests")
        #expect(worker.isRunning, "the worker died on a full disk: \(worker.stderr.suffix(800))")
        try expectEveryJobKept(rig, ids: ids)
        #expect(worker.stderr.contains("No space left on device"), "the worker did not say what is wrong: \(worker.stderr.suffix(800))")

        disk.free()
        let resumed = eventually(timeout: .seconds(20)) { rig.jobFiles(in: "sent").count == ids.count }
        #expect(resumed, "after space returned: sent \(rig.jobFiles(in: "sent").count) of \(ids.count) without a restart")
        if !resumed {
            for folder in ["new", "active", "deferred", "paused", "held", "failed"] { print("DEBUG", folder, rig.names(in: folder)) }
            for event in rig.logEvents() { print("DEBUG", event) }
            print("DEBUG", worker.stderr.suffix(3000))
        }
        let accepted = try rig.acceptedJobIDs()
        #expect(Set(accepted) == Set(ids))
        #expect(accepted.count == ids.count, "a job was sent twice: \(accepted.count) sends for \(ids.count) jobs")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
    }

    @Test(.enabled(if: TinyDisk.available, TinyDisk.skipReason))
    func aFullDiskUnderTheDeliveryLogNeverTurnsOneSendIntoMany() throws {
        let rig = try Rig()
        let disk = try #require(TinyDisk(at: rig.home.path, size: "512k"))
        defer { disk.unmount() }
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let ids = try rig.publishJobs(count: 10, prefix: "nolog")
        try FileManager.default.createDirectory(atPath: rig.home.path + "/log", withIntermediateDirectories: true)
        disk.fill()
        let worker = try rig.start(["--concurrency", "4"] + Self.fastRetry)

        #expect(eventually { requests(rig) >= 4 }, "no request went out")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(requests(rig) == 4, "\(requests(rig)) requests at concurrency 4 while the log could not be written")
        #expect(worker.isRunning)
        try expectEveryJobKept(rig, ids: ids)

        disk.free()
        #expect(eventually(timeout: .seconds(20)) { rig.jobFiles(in: "sent").count == ids.count })
        #expect(Set(rig.events("sent").compactMap { $0["job"] as? String }) == Set(ids), "the outcomes were not logged once space returned")
        #expect(requests(rig) == ids.count, "jobs were sent again: \(requests(rig)) requests for \(ids.count) jobs")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
    }

    @Test(.enabled(if: Unprivileged.available, Unprivileged.skipReason))
    func anUnreadableJobFileFailsWithAClearReasonAndIsKeptWhole() throws {
        let rig = try Rig()
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let job = try GoodJobs.all[0]
        try rig.publish(job, name: "locked.json")
        #expect(chmod(rig.spool + "/new/locked.json", 0) == 0)
        try rig.publish(try GoodJobs.all[1], name: "readable.json")
        let worker = try rig.startUnprivileged([])

        #expect(eventually { rig.reason("locked") != nil && rig.jobFiles(in: "sent") == ["readable.json"] })
        let reason = rig.reason("locked") ?? [:]
        #expect((reason["reason"] as? String)?.contains("Permission denied") == true, "\(reason)")
        #expect(FileManager.default.contents(atPath: rig.spool + "/failed/locked.json") == job, "the unreadable job was not kept whole")
        #expect((rig.events("failed", job: "locked").first?["error"] as? String)?.contains("Permission denied") == true)

        // Once readable, an operator's retry sends it.
        #expect(chmod(rig.spool + "/failed/locked.json", 0o600) == 0)
        #expect(try rig.mailroom(["retry", "locked"]).status == 0)
        #expect(eventually { rig.jobFiles(in: "sent").contains("locked.json") })
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
    }

    /// A folder the worker cannot write is one job's problem, not the disk's: the job that cannot reach `failed/`
    /// is set aside in `held/` with a reason that says what to do, and the worker keeps delivering the others.
    @Test(.enabled(if: Unprivileged.available, Unprivileged.skipReason))
    func aReadOnlyFailedFolderSetsTheJobAsideAndTheWorkerCarriesOn() throws {
        let rig = try Rig()
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        #expect(try rig.mailroom(["status"]).status == 0)
        let failed = rig.spool + "/failed"
        #expect(chmod(failed, 0o555) == 0)
        defer { chmod(failed, 0o700) }
        let worker = try rig.startUnprivileged([])
        #expect(worker.waitForOutput { $0.contains("worker started") })
        let bad = try BadJobCorpus.data("subject-crlf.json")
        try rig.publish(bad, name: "bad.json")
        #expect(eventually { rig.jobFiles(in: "held") == ["bad.json"] }, "held: \(rig.names(in: "held")), active: \(rig.names(in: "active"))")
        let held = rig.events("held", job: "bad").last?["error"] as? String ?? ""
        #expect(held.contains("Permission denied") && held.contains("mailroom retry bad"), "\(held)")
        #expect(FileManager.default.contents(atPath: rig.spool + "/held/bad.json") == bad, "the job was not kept whole")

        // The worker never stalled: a job published after it is delivered.
        try rig.publish(try GoodJobs.all[0], name: "good.json")
        #expect(eventually { rig.jobFiles(in: "sent") == ["good.json"] }, "the worker stopped delivering after one job could not move")
        #expect(worker.isRunning)

        // The folder takes writes again: an operator's retry sends the job to failed/ with its reason.
        #expect(chmod(failed, 0o700) == 0)
        #expect(try rig.mailroom(["retry", "bad"]).status == 0)
        #expect(eventually(timeout: .seconds(20)) { rig.reason("bad") != nil }, "the job never reached failed/")
        #expect(rig.reason("bad")?["field"] as? String == "subject")
        #expect(FileManager.default.contents(atPath: failed + "/bad.json") == bad)
        #expect(rig.events(job: "bad").last?["event"] as? String == "failed")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
    }

    /// Requests the sandbox has answered so far.
    private func requests(_ rig: Rig) -> Int {
        ((try? rig.sandbox.stats()["total"] as? Int) ?? nil) ?? 0
    }

    /// Every job is still in the spool (ready, claimed, deferred or sent): none vanished.
    private func expectEveryJobKept(_ rig: Rig, ids: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var present = Set<String>()
        for folder in ["new", "active", "deferred", "sent"] {
            for name in rig.jobFiles(in: folder) { present.insert(String(name.dropLast(5))) }
        }
        let missing = ids.filter { !present.contains($0) }
        #expect(missing.isEmpty, "lost on a full disk: \(missing)", sourceLocation: sourceLocation)
    }
}
