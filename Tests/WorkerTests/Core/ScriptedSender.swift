import Foundation
import MailroomCore
import SendGrid
import Worker

/// A `MailSender` in memory, for worker tests in process: answers each job's sends from a script (then 202),
/// records every request, and can hold sends until a test releases them (to stop a worker mid-send).
final class ScriptedSender: MailSender, @unchecked Sendable {
    private let lock = NSLock()
    private var scripts: [String: [SendOutcome]] = [:]
    private var everyRequest: [SendOutcome] = []
    private var sent: [(job: String, key: String)] = []
    private var holding = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// The next answers for `job`, in order; after them, 202.
    func script(_ job: String, _ outcomes: SendOutcome...) {
        lock.withLock { scripts[job, default: []] += outcomes }
    }

    /// Answers every request this way until `clearAll()` (after each job's own script).
    func answerAll(_ outcome: SendOutcome) {
        lock.withLock { everyRequest = [outcome] }
    }

    func clearAll() {
        lock.withLock { everyRequest = [] }
    }

    /// Sends wait in `send` until `release()`.
    func hold() {
        lock.withLock { holding = true }
    }

    func release() {
        let resumed = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            holding = false
            defer { waiting = [] }
            return waiting
        }
        resumed.forEach { $0.resume() }
    }

    /// Sends waiting in `hold()`.
    var held: Int { lock.withLock { waiting.count } }

    /// The job of every request so far, in order (repeats are re-sends).
    var jobs: [String] { lock.withLock { sent.map(\.job) } }

    /// The key fingerprint of every request so far.
    var keys: [String] { lock.withLock { sent.map(\.key) } }

    func send(_ payload: Data, key: APIKey) async -> SendResult {
        let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any]
        let job = (object?["custom_args"] as? [String: Any])?[PayloadBuilder.jobArgument] as? String ?? "?"
        lock.withLock { sent.append((job, key.fingerprint)) }
        // Like the libcurl client, a cancelled send ends at once (as a transient failure).
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let wait = lock.withLock { () -> Bool in
                    guard holding, !Task.isCancelled else { return false }
                    waiting.append(continuation)
                    return true
                }
                if !wait { continuation.resume() }
            }
        } onCancel: {
            release()
        }
        if Task.isCancelled { return SendResult(outcome: .transient(status: nil, message: "cancelled"), duration: .zero) }
        let outcome = lock.withLock { () -> SendOutcome in
            if var script = scripts[job], !script.isEmpty {
                let next = script.removeFirst()
                scripts[job] = script
                return next
            }
            return everyRequest.first ?? .accepted(status: 202, messageID: "msg-\(job)")
        }
        return SendResult(outcome: outcome, duration: .milliseconds(1))
    }
}
