import Foundation
import MailroomCore
import Spool

/// Recording an outcome: the delivery-log line first, then the state move (SPEC §3: durable before the next
/// step). What a full or read-only disk refuses is kept with its claim and retried (`Unconcluded`).
extension DeliveryWorker {
    /// Takes the claim back from the in-flight set, logs `event`, then moves the job. If shutdown already put
    /// the claim back, the job is left alone.
    func conclude(_ claim: Claim, _ event: DeliveryEvent, move: @escaping @Sendable () throws -> Void) {
        unconcluded.recording {
            guard inFlight.finish(claim.id) else { return }
            record(Unconcluded.Entry(claim: claim, event: event, move: move), firstTry: true)
        }
    }

    /// Writes what is left of `entry`; false if it was kept for a retry.
    @discardableResult
    func record(_ entry: Unconcluded.Entry, firstTry: Bool) -> Bool {
        var entry = entry
        if let event = entry.event {
            do {
                try log.record(event)
                entry.event = nil
            } catch {
                if firstTry {
                    logger.error(
                        "cannot write the delivery log; keeping the job claimed and retrying, claiming nothing new meanwhile",
                        metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
                }
                keepForRetry(entry)
                return false
            }
        }
        do {
            try entry.move()
            if !firstTry { logger.notice("recorded an outcome the disk refused before", metadata: ["job": "\(entry.claim.id)"]) }
            return true
        } catch let error as SpoolError where error.isDiskWide {
            if firstTry {
                logger.error(
                    "cannot move the job; keeping it claimed and retrying, claiming nothing new meanwhile",
                    metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
            }
            keepForRetry(entry)
            return false
        } catch SpoolError.claimLost {
            logger.error("cannot move the job: its claim is gone", metadata: ["job": "\(entry.claim.id)"])
            return false
        } catch {
            quarantine(entry.claim, because: error, failedAlready: entry.outcome == .failed)
            return false
        }
    }

    /// A move that failed for this job alone (a permission, something in the way) sends the job to `failed/`
    /// with the reason, or where even that fails, to `held/`; each step is logged first. The worker goes on with
    /// the others: holding the claim and retrying, as for a full disk, would stop all delivery for one bad file.
    /// `failedAlready`: the move that failed was the one into `failed/`, so the job goes straight to `held/`.
    private func quarantine(_ claim: Claim, because error: any Error, failedAlready: Bool) {
        logger.error("cannot move the job; failing it with the reason and carrying on", metadata: ["job": "\(claim.id)", "error": "\(error)"])
        let advice = "fix the spool's ownership and modes (docs/operators-guide.md), then run: mailroom retry \(claim.id)"
        let reason = "cannot move the job to its next state (\(error)); " + advice
        let failure = FailureReason(reason: reason, field: nil, attempts: claim.attempts, httpStatus: nil)
        let failed = DeliveryEvent(job: claim.id, event: .failed, attempt: claim.attempts, error: reason)
        var cause = error
        if !failedAlready {
            switch quarantineStep(claim, failed, move: { [spool] in try spool.fail(claim, reason: failure) }) {
            case .movedOrKept: return
            case .refused(let refusal): cause = refusal
            }
        }
        let setAside = "cannot move the job to failed/ (\(cause)); " + advice
        let held = DeliveryEvent(job: claim.id, event: .held, attempt: claim.attempts, error: setAside)
        if case .refused(let error) = quarantineStep(claim, held, move: { [spool] in try spool.setAside(claim, reason: setAside) }) {
            logger.error(
                "cannot move the job to held/ either; it stays claimed and goes back to ready at the next start",
                metadata: ["job": "\(claim.id)", "error": "\(error)"])
        }
    }

    private enum QuarantineStep {
        /// Moved, or kept with its claim for a retry because the disk refused it.
        case movedOrKept
        /// Refused for this job: try the next place.
        case refused(any Error)
    }

    /// Logs `event`, then makes `move`; a disk-wide refusal keeps the rest for a retry.
    private func quarantineStep(_ claim: Claim, _ event: DeliveryEvent, move: @escaping @Sendable () throws -> Void) -> QuarantineStep {
        let entry = Unconcluded.Entry(claim: claim, event: event, move: move)
        do {
            try log.record(event)
        } catch {
            keepForRetry(entry)
            return .movedOrKept
        }
        do {
            try move()
            return .movedOrKept
        } catch let error as SpoolError where error.isDiskWide {
            keepForRetry(Unconcluded.Entry(claim: claim, event: nil, move: move))
            return .movedOrKept
        } catch {
            return .refused(error)
        }
    }

    private func keepForRetry(_ entry: Unconcluded.Entry) {
        guard unconcluded.keep(entry) else { return }
        Task { await self.retryUnconcluded() }
    }

    /// Retries every kept outcome with backoff (100 ms doubling to 2 s) until all are recorded, then wakes the loop.
    private func retryUnconcluded() async {
        var delay = Duration.milliseconds(100)
        repeat {
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
            unconcluded.recording {
                for entry in unconcluded.takeAll() { record(entry, firstTry: false) }
            }
        } while !unconcluded.endRetryIfEmpty()
        wakeup.signal()
    }

    /// At shutdown: the claims of outcomes still unrecorded go back to ready (the next run may send them again:
    /// at-least-once, at most one send per such claim).
    func putBackUnconcluded() {
        for entry in unconcluded.takeAll() {
            do {
                try spool.requeue(entry.claim)
            } catch {
                logger.error(
                    "cannot put a claim back; it will be recovered at the next start", metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
            }
        }
    }
}
