import Foundation
import Glibc
import Spool

/// The file spool as a `JobQueue`: claims are renames into this worker's claim folder, and an outcome is its
/// delivery-log line, appended first, then one rename (docs/operators-guide.md#layout-on-disk).
public final class SpoolQueue: JobQueue {
    public let spool: Spool
    public let log: DeliveryLogWriter

    public init(spool: Spool, log: DeliveryLogWriter) {
        self.spool = spool
        self.log = log
    }

    public var readyFolder: String? { spool.readyFolder }

    public func claim(limit: Int) throws -> [JobClaim] {
        try spool.claimBatch(limit: limit).map { entry in
            let claim = entry.claim
            let verdict: JobClaim.Verdict
            switch entry {
            case .job: verdict = .job
            case .unsafe(_, let reason): verdict = .unsafe(reason: reason)
            case .duplicate: verdict = .duplicate
            }
            return JobClaim(
                id: claim.id, data: claim.data, attempts: claim.attempts, firstQueuedAt: claim.firstQueuedAt, lastError: claim.lastError,
                verdict: verdict, handle: claim)
        }
    }

    public func conclude(_ claim: JobClaim, _ outcome: QueueOutcome, event: DeliveryEvent?) throws(ConcludeFailure) {
        guard let held = claim.handle as? Claim else {
            throw ConcludeFailure(.claimLost, eventRecorded: false, SpoolError.claimLost(id: claim.id))
        }
        if let event {
            do {
                try log.record(event)
            } catch {
                throw ConcludeFailure(.unavailable, eventRecorded: false, error)
            }
        }
        do {
            try move(held, outcome)
        } catch let error as SpoolError {
            let kind: ConcludeFailure.Kind
            if case .claimLost = error {
                kind = .claimLost
            } else {
                kind = error.isDiskWide ? .unavailable : .refused
            }
            throw ConcludeFailure(kind, eventRecorded: event != nil, error)
        } catch {
            throw ConcludeFailure(.refused, eventRecorded: event != nil, error)
        }
    }

    private func move(_ claim: Claim, _ outcome: QueueOutcome) throws {
        switch outcome {
        case .sent(let messageID): try spool.markSent(claim, messageID: messageID)
        case .deferred(let until, let attempts, let lastError): try spool.deferJob(claim, until: until, attempts: attempts, lastError: lastError)
        case .failed(let reason): try spool.fail(claim, reason: reason)
        case .held(let integration, let reason): try spool.hold(claim, integration: integration, reason: reason)
        case .setAside(let reason): try spool.setAside(claim, reason: reason)
        case .requeued: try spool.requeue(claim)
        case .duplicate: try spool.dropDuplicate(claim)
        }
    }

    public func recoverDeadClaims() throws -> [String] {
        try spool.recoverOrphanedClaims()
    }

    public func promoteDue(now: Date) throws -> Int {
        try spool.promoteDueDeferred(now: now)
    }

    public func nextDue() throws -> Date? {
        try spool.nextDeferredDue()
    }

    public func releaseHeld(integration: Int, limit: Int, event: (String) -> DeliveryEvent) throws -> [String] {
        try spool.releaseHeld(integration: integration, limit: limit) { job in try log.record(event(job)) }
    }

    public func counts() throws -> StateCounts {
        try spool.counts()
    }

    public func problems() -> [String] {
        [spool.root, spool.readyFolder].compactMap { (folder: String) -> String? in
            access(folder, W_OK) == 0 ? nil : "spool folder \(folder) is not writable: \(String(cString: strerror(errno)))"
        }
    }

    public func reopenLog() throws {
        try log.reopen()
    }

    public func close() {
        spool.retire()
        log.sync()
    }
}
