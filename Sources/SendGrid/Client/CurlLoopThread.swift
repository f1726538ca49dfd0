internal import CCurlShim
import Foundation

/// The body of the curl thread: takes requests from the inbox, runs them on pooled easy handles
/// in the one multi handle, and resumes each request's continuation when its transfer ends.
///
/// Everything here lives on that thread alone; handles are never touched anywhere else.
final class CurlLoopThread {
    /// How long one `curl_multi_poll` may sleep when nothing is due (curl wakes earlier for its timers).
    private static let idlePollMilliseconds = 1000
    /// Idle easy handles kept for reuse beyond this many are freed.
    private static let maximumIdleHandles = 256

    private let loop: CurlLoop
    private let url: String
    private let configuration: SendGridClientConfiguration
    private var idle: [EasyTransfer] = []
    private var running: [ObjectIdentifier: EasyTransfer] = [:]

    init(loop: CurlLoop, configuration: SendGridClientConfiguration) {
        self.loop = loop
        self.configuration = configuration
        self.url = configuration.mailSendURL
    }

    /// Starts the dedicated thread.
    static func start(loop: CurlLoop, configuration: SendGridClientConfiguration) {
        let thread = Thread {
            CurlLoopThread(loop: loop, configuration: configuration).run()
        }
        thread.name = "mailroom-curl"
        thread.start()
    }

    private func run() {
        var stillRunning: Int32 = 0
        while true {
            let (requests, cancellations, deadline) = loop.inbox.withLock { inbox in
                inbox.wakeupPending = false
                defer {
                    inbox.requests.removeAll(keepingCapacity: true)
                    inbox.cancellations.removeAll(keepingCapacity: true)
                }
                return (inbox.requests, inbox.cancellations, inbox.stopDeadline)
            }
            for request in requests {
                // Accepted just before the stop: nothing of it has been sent, so answer it rather than start it.
                if deadline != nil {
                    request.finish(.transient(status: nil, message: "the SendGrid client is shut down"))
                } else {
                    start(request)
                }
            }
            for token in cancellations { abort(token, message: "cancelled") }

            curl_multi_perform(loop.multi, &stillRunning)
            collectFinished()

            if let deadline {
                if running.isEmpty || ContinuousClock.now >= deadline { break }
            }
            var timeout = Self.idlePollMilliseconds
            if let deadline { timeout = min(timeout, max((deadline - .now).curlMilliseconds, 1)) }
            curl_multi_poll(loop.multi, nil, 0, Int32(timeout), nil)
        }
        finish()
    }

    private func start(_ request: PendingRequest) {
        if request.token.isCancelled {
            request.finish(.transient(status: nil, message: "cancelled"))
            return
        }
        let transfer: EasyTransfer
        if let pooled = idle.popLast() {
            transfer = pooled
        } else {
            do {
                transfer = try EasyTransfer(url: url, configuration: configuration)
            } catch {
                request.finish(.transient(status: nil, message: error.description))
                return
            }
        }
        guard transfer.prepare(request) else {
            transfer.recycle()
            idle.append(transfer)
            request.finish(.transient(status: nil, message: "out of memory preparing the request"))
            return
        }
        let added = curl_multi_add_handle(loop.multi, transfer.handle)
        guard added == CURLM_OK else {
            transfer.recycle()
            idle.append(transfer)
            request.finish(.transient(status: nil, message: "curl refused the transfer: \(String(cString: curl_multi_strerror(added)))"))
            return
        }
        running[ObjectIdentifier(request.token)] = transfer
    }

    private func collectFinished() {
        var handle: UnsafeMutableRawPointer?
        var result = CURLE_OK
        while mr_multi_next_done(loop.multi, &handle, &result) == 1 {
            guard let handle, let transfer = EasyTransfer.from(handle: handle) else { continue }
            let outcome = transfer.outcome(result: result, now: Date())
            complete(transfer, with: outcome)
        }
    }

    /// Aborts the running transfer of `token`, if any (a finished one has nothing left to abort).
    private func abort(_ token: RequestToken, message: String) {
        guard let transfer = running[ObjectIdentifier(token)] else { return }
        complete(transfer, with: .transient(status: nil, message: message))
    }

    private func complete(_ transfer: EasyTransfer, with outcome: SendOutcome) {
        curl_multi_remove_handle(loop.multi, transfer.handle)
        guard let request = transfer.request else { return }
        running[ObjectIdentifier(request.token)] = nil
        transfer.recycle()
        if idle.count < Self.maximumIdleHandles { idle.append(transfer) }
        request.finish(outcome)
    }

    /// Aborts what is still running, answers what arrived meanwhile, frees every handle, and
    /// wakes whoever waits in `shutdown()`. The multi handle is cleaned up last, on this thread.
    private func finish() {
        for transfer in Array(running.values) {
            complete(transfer, with: .transient(status: nil, message: "aborted: the SendGrid client shut down"))
        }
        let (late, waiters) = loop.inbox.withLock { inbox in
            inbox.finished = true
            defer {
                inbox.requests.removeAll()
                inbox.shutdownWaiters.removeAll()
            }
            return (inbox.requests, inbox.shutdownWaiters)
        }
        for request in late { request.finish(.transient(status: nil, message: "the SendGrid client is shut down")) }
        idle.removeAll()
        curl_multi_cleanup(loop.multi)
        for waiter in waiters { waiter.resume() }
    }
}

@available(*, unavailable)
extension CurlLoopThread: Sendable {}
