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
        } catch let error as SpoolError {
            switch error {
            case .io, .cannotCreate:
                if firstTry {
                    logger.error(
                        "cannot move the job; keeping it claimed and retrying, claiming nothing new meanwhile",
                        metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
                }
                keepForRetry(entry)
            default:
                logger.error(
                    "cannot move the job; it stays where it is and is recovered at the next start",
                    metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
            }
            return false
        } catch {
            logger.error("cannot move the job", metadata: ["job": "\(entry.claim.id)", "error": "\(error)"])
            return false
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
