import Foundation
import MailroomCore
import Spool

/// Recording an outcome: the queue logs it, then moves the job (docs/spool.md#moves-and-durability: durable before
/// the next step). What a full or read-only disk refuses is kept with its claim and retried with backoff; what is
/// refused for one job alone sends that job to `failed/` (or `held/`), and the worker goes on with the others.
extension DeliveryWorker {
    /// Takes the claim back from the in-flight set and records `outcome`, logged as `event`. If shutdown already
    /// put the claim back, the outcome is dropped and the job left alone.
    func conclude(_ claim: JobClaim, _ outcome: QueueOutcome, _ event: DeliveryEvent) {
        guard state.withLock({ $0.sendFinished(claim.id) }) else { return }
        defer { state.withLock { $0.recordingEnded() } }
        record(WorkerState.Kept(claim: claim, outcome: outcome, event: event), firstTry: true)
    }

    /// Tries the kept outcomes again once their backoff has passed (100 ms doubling to 2 s).
    func retryKeptOutcomes() {
        let due = state.withLock { $0.takeKeptIfDue(now: .now) }
        for entry in due {
            record(entry, firstTry: false)
            state.withLock { $0.recordingEnded() }
        }
    }

    /// Concludes `entry`, or keeps it for a retry, or quarantines the job.
    private func record(_ entry: WorkerState.Kept, firstTry: Bool) {
        do {
            try queue.conclude(entry.claim, entry.outcome, event: entry.event)
            if !firstTry { logger.notice("recorded an outcome the disk refused before", metadata: ["job": "\(entry.claim.id)"]) }
            // The pause may have ended while the job was being held (another job's answer released the others
            // first, or the disk delayed this move): then it goes back at once instead of waiting for a safety net.
            if case .held(let integration, _) = entry.outcome { releaseIfItCanSend(integration) }
        } catch {
            switch error.kind {
            case .unavailable:
                if firstTry {
                    logger.error(
                        error.eventRecorded
                            ? "cannot move the job; keeping it claimed and retrying, claiming nothing new meanwhile"
                            : "cannot write the delivery log; keeping the job claimed and retrying, claiming nothing new meanwhile",
                        metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
                }
                var kept = entry
                if error.eventRecorded { kept.event = nil }
                state.withLock { $0.keep(kept, now: .now) }
                wakeup.signal()
            case .claimLost:
                logger.error("cannot move the job: its claim is gone", metadata: ["job": "\(entry.claim.id)"])
            case .refused:
                var failedAlready = false
                if case .failed = entry.outcome { failedAlready = true }
                quarantine(entry.claim, because: error.underlying, failedAlready: failedAlready)
            }
        }
    }

    /// A move that failed for this job alone (a permission, something in the way) sends the job to `failed/`
    /// with the reason, or where even that fails, to `held/`; each step is logged first.
    /// `failedAlready`: the move that failed was the one into `failed/`, so the job goes straight to `held/`.
    private func quarantine(_ claim: JobClaim, because error: any Error, failedAlready: Bool) {
        logger.error("cannot move the job; failing it with the reason and carrying on", metadata: ["job": "\(claim.id)", "error": "\(error)"])
        let advice = "fix the spool's ownership and modes (docs/operators-guide.md), then run: mailroom retry \(claim.id)"
        var cause = error
        if !failedAlready {
            let reason = "cannot move the job to its next state (\(error)); " + advice
            let failure = FailureReason(reason: reason, field: nil, attempts: claim.attempts, httpStatus: nil)
            let event = DeliveryEvent(job: claim.id, event: .failed, attempt: claim.attempts, error: reason)
            switch quarantineStep(claim, .failed(failure), event) {
            case .movedOrKept: return
            case .refused(let refusal): cause = refusal
            }
        }
        let reason = "cannot move the job to failed/ (\(cause)); " + advice
        let event = DeliveryEvent(job: claim.id, event: .held, attempt: claim.attempts, error: reason)
        if case .refused(let refusal) = quarantineStep(claim, .setAside(reason: reason), event) {
            logger.error(
                "cannot move the job to held/ either; it stays claimed and goes back to ready at the next start",
                metadata: ["job": "\(claim.id)", "error": "\(refusal)"])
        }
    }

    private enum QuarantineStep {
        /// Moved, or kept with its claim for a retry because the disk refused it.
        case movedOrKept
        /// Refused for this job: try the next place.
        case refused(any Error)
    }

    private func quarantineStep(_ claim: JobClaim, _ outcome: QueueOutcome, _ event: DeliveryEvent) -> QuarantineStep {
        do {
            try queue.conclude(claim, outcome, event: event)
            return .movedOrKept
        } catch {
            switch error.kind {
            case .unavailable:
                state.withLock { $0.keep(.init(claim: claim, outcome: outcome, event: error.eventRecorded ? nil : event), now: .now) }
                return .movedOrKept
            case .claimLost:
                return .movedOrKept
            case .refused:
                return .refused(error.underlying)
            }
        }
    }
}
