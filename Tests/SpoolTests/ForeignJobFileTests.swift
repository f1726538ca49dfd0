import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

@testable import Spool

/// The job file belongs to the application that wrote it, often another user: every state move only renames
/// or unlinks it, and what the worker learns lives in files the worker creates (`meta/`, `sent/`). Checked here
/// as "the job file's inode, mode and times are never changed"; `DifferentOwnerTests` runs it for real.
@Suite struct ForeignJobFileTests {
    @Test func deferringKeepsTheDueTimeInMetaAndLeavesTheJobFileAlone() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let claim = try claimOne(spool, fixture: fixture)
        let before = try fileStat(fixture.spool + "/active/\(claim.worker)/job-0.json")
        let due = Date().addingTimeInterval(90)
        try spool.deferJob(claim, until: due, attempts: 1, lastError: "HTTP 503")
        let after = try fileStat(fixture.spool + "/deferred/job-0.json")
        #expect(after.st_ino == before.st_ino)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec, "the job file's time was changed")
        let meta = try fileStat(fixture.spool + "/meta/job-0.json")
        #expect(abs(TimeInterval(meta.st_mtim.tv_sec) - due.timeIntervalSince1970) <= 1, "the due time is not on the meta record")
        #expect(try spool.nextDeferredDue().map { abs($0.timeIntervalSince(due)) < 0.01 } == true)
        #expect(try spool.entry("job-0")?.nextAttemptAt.map { abs($0.timeIntervalSince(due)) < 0.01 } == true)
        #expect(try spool.counts().nextRetryAt.map { abs($0.timeIntervalSince(due)) < 0.01 } == true)
        #expect(fixture.data("meta/job-0.json").map { String(decoding: $0, as: UTF8.self) }?.contains("\"due_at\"") == true)
        #expect(try spool.promoteDueDeferred(now: due.addingTimeInterval(-1)) == 0)
        #expect(try spool.promoteDueDeferred(now: due.addingTimeInterval(1)) == 1)
    }

    @Test func aSentRecordIsANewFileAndTheBodyIsGone() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let claim = try claimOne(spool, fixture: fixture)
        let job = try fileStat(fixture.spool + "/active/\(claim.worker)/job-0.json")
        try spool.markSent(claim, messageID: "m-1")
        let record = try fileStat(fixture.spool + "/sent/job-0.json")
        #expect(record.st_ino != job.st_ino, "the application's file was rewritten into the sent record")
        #expect(record.st_mode & 0o777 == 0o600)
        let text = try #require(fixture.data("sent/job-0.json").map { String(decoding: $0, as: UTF8.self) })
        #expect(!text.contains("Job zero") && text.contains("\"message_id\":\"m-1\""), "\(text)")
        #expect(fixture.names("active/\(claim.worker)").isEmpty)
        #expect(try spool.entry("job-0")?.state == .sent)
    }

    @Test func aRetriedJobStartsAgainWithoutItsFileBeingTouched() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let claim = try claimOne(spool, fixture: fixture)
        try spool.fail(claim, reason: FailureReason(reason: "HTTP 400", field: nil, attempts: 3, httpStatus: 400))
        // An old file: the retry must give it a fresh age without changing the file's time.
        var old = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, fixture.spool + "/failed/job-0.json", &old, 0) == 0)
        _ = try spool.retryJob("job-0")
        #expect(try fileStat(fixture.spool + "/new/job-0.json").st_mtim.tv_sec == 1_000_000_000)
        guard case .job(let again) = try #require(try spool.claimBatch(limit: 1).first) else { throw Failure("not a job") }
        #expect(again.attempts == 0)
        #expect(Date().timeIntervalSince(again.firstQueuedAt) < 60, "the retried job kept its old age: \(again.firstQueuedAt)")
    }

    @Test func releasingHeldJobsAnnouncesEachBeforeItMoves() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let claim = try claimOne(spool, fixture: fixture)
        try spool.hold(claim, integration: 4, reason: "key refused")
        var seenWhereAnnounced: [String] = []
        let released = try spool.releaseHeld(integration: 4) { _ in seenWhereAnnounced = fixture.names("paused/4") }
        #expect(released == ["job-0"])
        #expect(seenWhereAnnounced == ["job-0.json"], "the job moved before it was announced")

        // An announcement that fails leaves the job held.
        guard case .job(let again) = try #require(try spool.claimBatch(limit: 1).first) else { throw Failure("not a job") }
        try spool.hold(again, integration: 4, reason: "key refused")
        #expect(throws: (any Error).self) { try spool.releaseHeld(integration: 4) { _ in throw Failure("log full") } }
        #expect(fixture.names("paused/4") == ["job-0.json"])
    }

    @Test func anApplicationsIntakeNeedsOnlyTmpAndNew() throws {
        let fixture = SpoolFixture()
        _ = try Spool(root: fixture.spool)
        let intake = try SpoolIntake(root: fixture.spool)
        #expect(try intake.enqueue(Data(validJob("a").utf8), id: "app-1") == .enqueued(id: "app-1"))
        #expect(try intake.enqueue(Data(validJob("a").utf8), id: "app-1") == .duplicate(id: "app-1", state: .ready))
        #expect(try fileStat(fixture.spool + "/new/app-1.json").st_mode & 0o777 == 0o640 & ~currentUmask())
        #expect(fixture.everything("tmp").isEmpty)
    }

    private func claimOne(_ spool: Spool, fixture: SpoolFixture) throws -> Claim {
        _ = try spool.enqueue(Data(validJob("zero").utf8), id: "job-0")
        guard case .job(let claim) = try #require(try spool.claimBatch(limit: 1).first) else { throw Failure("not a job") }
        return claim
    }

    private func fileStat(_ path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw Failure("no \(path)") }
        return info
    }

    private func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
