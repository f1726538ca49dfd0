import Foundation
import MailroomCore
import SendGrid
import Spool

/// One claimed entry, from claim to its next state. Every branch logs the event before it moves the job.
extension DeliveryWorker {
    func process(_ claim: JobClaim) async {
        switch claim.verdict {
        case .unsafe(let reason):
            conclude(
                claim, .failed(FailureReason(reason: reason, field: nil, attempts: claim.attempts, httpStatus: nil)),
                DeliveryEvent(job: claim.id, event: .failed, attempt: claim.attempts, error: reason))
        case .duplicate:
            conclude(claim, .duplicate, DeliveryEvent(job: claim.id, event: .duplicate, error: "job id already queued or sent in the last 7 days"))
        case .job:
            await deliver(claim)
        }
    }

    private func deliver(_ claim: JobClaim) async {
        let attempt = claim.attempts + 1
        let job: Job
        do {
            job = try JobParser.parse(claim.data)
        } catch {
            fail(claim, attempt: claim.attempts, reason: error.message, field: error.field, httpStatus: nil, config: nil, recipients: nil)
            return
        }
        let recipients = job.recipientCount
        let config: ResolvedConfig
        switch directory.withLock({ $0.select(integration: job.integration) }) {
        case .use(let chosen):
            config = chosen
        case .fail(let reason):
            fail(claim, attempt: claim.attempts, reason: reason, field: "integration", httpStatus: nil, config: nil, recipients: recipients)
            return
        case .hold(let integration, let reason):
            hold(claim, integration: integration, reason: reason, config: nil, recipients: recipients)
            return
        }

        switch gate.verdict(for: config, job: claim.id) {
        case .send:
            break
        case .unavailable(let reason):
            holdForOutage(claim, config: config, reason: reason, recipients: recipients, httpStatus: nil)
            return
        case .keyRefused(let message):
            hold(
                claim, integration: config.id, reason: "integration \(config.id) is paused: its key was refused (\(message))", config: config,
                recipients: recipients)
            return
        case .rateLimited(let until):
            deferJob(
                claim, until: until, attempts: claim.attempts, error: "integration \(config.id) is rate limited until \(Timestamps.format(until))",
                httpStatus: nil, config: config, recipients: recipients, duration: nil)
            return
        }

        let payload: Data
        do {
            payload = try PayloadBuilder.build(job: job, jobID: claim.id, from: config.from, sandboxMode: options.sendsInSandboxMode)
        } catch {
            fail(
                claim, attempt: claim.attempts, reason: error.message, field: error.field, httpStatus: nil, config: config, recipients: recipients
            )
            return
        }

        let result = await sender.send(payload, key: config.key)
        apply(result, claim: claim, attempt: attempt, config: config, recipients: recipients)
    }

    private func apply(_ result: SendResult, claim: JobClaim, attempt: Int, config: ResolvedConfig, recipients: Int) {
        let now = Date()
        WorkerMetrics.sendDuration(result.duration, config: config)
        switch result.outcome {
        case .accepted(let status, let messageID):
            if gate.recordSuccess(config.id, now: now) { endOutage(config) }
            WorkerMetrics.delivery(outcome: "sent", status: status, config: config)
            WorkerMetrics.lastSuccess(config: config, at: now)
            let event = DeliveryEvent(
                job: claim.id, event: .sent, at: now, attempt: attempt, integration: config.id, environment: config.environment,
                recipients: recipients, httpStatus: status, messageID: messageID, duration: result.duration)
            conclude(claim, .sent(messageID: messageID), event)

        case .rejected(let status, let errors):
            let reason = SendGridErrorText.describe(status: status, errors: errors)
            if gate.recordError(config.id, reason, now: now) { endOutage(config) }
            WorkerMetrics.delivery(outcome: "failed", status: status, config: config)
            fail(
                claim, attempt: attempt, reason: reason, field: errors.first?.field, httpStatus: status, config: config, recipients: recipients,
                duration: result.duration)

        case .credentialsRefused(let status, let message):
            let reason = "SendGrid refused the key of integration \(config.id) (HTTP \(status)): \(message)"
            do {
                try gate.recordKeyRefused(config.id, revision: config.revision, message: "HTTP \(status): \(message)", now: now)
            } catch {
                logger.error("cannot record the refused key for other workers", metadata: ["integration": "\(config.id)", "error": "\(error)"])
            }
            WorkerMetrics.delivery(outcome: "held", status: status, config: config)
            logger.error("integration paused: SendGrid refused its key", metadata: ["integration": "\(config.id)", "status": "\(status)"])
            hold(claim, integration: config.id, reason: reason, config: config, recipients: recipients, httpStatus: status, attempt: attempt)

        case .rateLimited(let until, let status):
            let message = "rate limited by SendGrid (HTTP \(status)) until \(Timestamps.format(until))"
            if gate.recordRateLimit(config.id, until: until, message: message, now: now) { endOutage(config) }
            WorkerMetrics.delivery(outcome: "rate_limited", status: status, config: config)
            WorkerMetrics.rateLimitPause(config: config)
            logger.warning("integration rate limited", metadata: ["integration": "\(config.id)", "until": "\(Timestamps.format(until))"])
            deferJob(
                claim, until: until, attempts: claim.attempts, error: message, httpStatus: status, config: config, recipients: recipients,
                duration: result.duration)

        case .transient(let status, let message):
            let error = status.map { "HTTP \($0): \(message)" } ?? message
            if status == nil || status! >= 500 {
                // Connection-level or 5xx: maybe the endpoint's fault, not the job's (see `Outage`).
                let lastAttempt = options.retry.isExhausted(attempts: attempt, firstQueued: claim.firstQueuedAt, now: now)
                if gate.recordOutageFailure(config.id, job: claim.id, error, lastAttempt: lastAttempt, now: now) == .began {
                    gate.flush()  // `status` and other workers see it now, not at the next rescan
                    WorkerMetrics.outage(config: config)
                    logger.error(
                        "integration unavailable: its endpoint keeps failing; holding its jobs without spending attempts, probing",
                        metadata: ["integration": "\(config.id)", "error": "\(error)"])
                }
                if case .unavailable(let reason) = gate.verdict(for: config, now: now) {
                    WorkerMetrics.delivery(outcome: "held", status: status, config: config)
                    holdForOutage(claim, config: config, reason: reason, recipients: recipients, httpStatus: status)
                    return
                }
            } else {
                gate.recordError(config.id, error, now: now)
            }
            let exhausted = options.retry.isExhausted(attempts: attempt, firstQueued: claim.firstQueuedAt, now: now)
            WorkerMetrics.delivery(outcome: exhausted ? "failed" : "deferred", status: status, config: config)
            if !exhausted { WorkerMetrics.retry(config: config) }
            if exhausted {
                fail(
                    claim, attempt: attempt, reason: "gave up after \(attempt) attempts; last error: \(error)", field: nil, httpStatus: status,
                    config: config, recipients: recipients, duration: result.duration)
            } else {
                let until = now.addingTimeInterval(options.retry.delay(afterAttempt: attempt).seconds)
                deferJob(
                    claim, until: until, attempts: attempt, error: error, httpStatus: status, config: config, recipients: recipients,
                    duration: result.duration)
            }
        }
    }

    // MARK: State moves, each logged first

    private func fail(
        _ claim: JobClaim, attempt: Int, reason: String, field: String?, httpStatus: Int?, config: ResolvedConfig?, recipients: Int?,
        duration: Duration? = nil
    ) {
        let event = DeliveryEvent(
            job: claim.id, event: .failed, attempt: attempt, integration: config?.id, environment: config?.environment,
            recipients: recipients, httpStatus: httpStatus, duration: duration, error: field.map { "\($0): \(reason)" } ?? reason)
        conclude(claim, .failed(FailureReason(reason: reason, field: field, attempts: attempt, httpStatus: httpStatus)), event)
    }

    private func hold(
        _ claim: JobClaim, integration: Int, reason: String, config: ResolvedConfig?, recipients: Int?, httpStatus: Int? = nil, attempt: Int? = nil
    ) {
        let event = DeliveryEvent(
            job: claim.id, event: .held, attempt: attempt ?? claim.attempts, integration: integration, environment: config?.environment,
            recipients: recipients, httpStatus: httpStatus, error: reason)
        conclude(claim, .held(integration: integration, reason: reason), event)
    }

    /// Holds a job while its integration's endpoint is unavailable, spending no attempt.
    private func holdForOutage(_ claim: JobClaim, config: ResolvedConfig, reason: String, recipients: Int, httpStatus: Int?) {
        let reason = "integration \(config.id) is waiting: \(reason)"
        let event = DeliveryEvent(
            job: claim.id, event: .held, attempt: claim.attempts, integration: config.id, environment: config.environment,
            recipients: recipients, httpStatus: httpStatus, error: reason)
        conclude(claim, .held(integration: config.id, reason: reason), event)
    }

    private func deferJob(
        _ claim: JobClaim, until: Date, attempts: Int, error: String, httpStatus: Int?, config: ResolvedConfig, recipients: Int, duration: Duration?
    ) {
        let event = DeliveryEvent(
            job: claim.id, event: .deferred, attempt: attempts, integration: config.id, environment: config.environment,
            recipients: recipients, httpStatus: httpStatus, duration: duration, error: "\(error); next try at \(Timestamps.format(until))")
        conclude(claim, .deferred(until: until, attempts: attempts, lastError: error), event)
        state.withLock { $0.noteDeferred(until: until) }
    }
}

/// SendGrid's `errors` as one line for a reason file and the log.
enum SendGridErrorText {
    static func describe(status: Int, errors: [SendGridErrorDetail]) -> String {
        guard !errors.isEmpty else { return "SendGrid refused the message (HTTP \(status))" }
        let parts = errors.map { detail in detail.field.map { "\($0): \(detail.message)" } ?? detail.message }
        return "SendGrid refused the message (HTTP \(status)): " + parts.joined(separator: "; ")
    }
}
