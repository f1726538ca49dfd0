internal import CCurlShim
import Foundation
import Synchronization

/// The bridge between Swift tasks and the one thread that drives curl.
///
/// Tasks hand requests over through `inbox` (a mutex-guarded queue) and nudge the thread with
/// `curl_multi_wakeup`, the one multi call curl allows from any thread; the thread answers
/// through each request's continuation. Nothing here ever blocks a Swift concurrency thread
/// for longer than a queue append.
///
/// `@unchecked Sendable` invariant: `inbox` is only touched under its mutex; `multi` is used
/// from other threads only for `curl_multi_wakeup`, under that mutex, and only while
/// `inbox.finished` is false (the thread sets it, under the mutex, before cleaning `multi` up).
final class CurlLoop: @unchecked Sendable {
    struct Inbox {
        var requests: [PendingRequest] = []
        var cancellations: [RequestToken] = []
        /// When set, no new request is started, and in-flight ones are aborted at this instant.
        var stopDeadline: ContinuousClock.Instant?
        var finished = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        /// A wakeup was sent and the thread has not drained the inbox since: no need for another.
        var wakeupPending = false
    }

    let multi: UnsafeMutableRawPointer
    let inbox = Mutex(Inbox())

    init(maxConnections: Int) throws(SendGridClientError) {
        guard mr_curl_global_init_once() == CURLE_OK else { throw SendGridClientError(field: "libcurl", "curl_global_init failed") }
        guard let multi = curl_multi_init() else { throw SendGridClientError(field: "libcurl", "curl_multi_init failed") }
        let limit = max(maxConnections, 1)
        // Without HTTP/2 each transfer needs its own connection, so these bound both sockets and
        // parallelism; the connection cache keeps exactly that many for reuse.
        let results = [
            mr_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limit),
            mr_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limit),
            mr_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, limit),
        ]
        guard results.allSatisfy({ $0 == CURLM_OK }) else {
            curl_multi_cleanup(multi)
            throw SendGridClientError(field: "libcurl", "cannot configure the connection pool")
        }
        self.multi = multi
    }

    /// Queues `request` for the curl thread, or answers it at once when the loop has stopped.
    func submit(_ request: PendingRequest) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.finished, inbox.stopDeadline == nil else { return false }
            inbox.requests.append(request)
            wakeLocked(&inbox)
            return true
        }
        if !accepted { request.finish(.transient(status: nil, message: "the SendGrid client is shut down")) }
    }

    /// Marks the request cancelled and asks the thread to abort it if it is running.
    func cancel(_ token: RequestToken) {
        token.cancel()
        inbox.withLock { inbox in
            guard !inbox.finished else { return }
            inbox.cancellations.append(token)
            wakeLocked(&inbox)
        }
    }

    /// Stops taking requests; in-flight ones may finish until `deadline`, then are aborted.
    /// Returns once the thread has cleaned every handle up and exited its loop.
    func stop(deadline: ContinuousClock.Instant) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox in
                if inbox.finished { return true }
                inbox.shutdownWaiters.append(waiter)
                inbox.stopDeadline = min(inbox.stopDeadline ?? deadline, deadline)
                wakeLocked(&inbox)
                return false
            }
            if done { waiter.resume() }
        }
    }

    /// Asks the thread to stop at once without waiting (for `deinit`).
    func requestStop() {
        inbox.withLock { inbox in
            guard !inbox.finished else { return }
            inbox.stopDeadline = .now
            wakeLocked(&inbox)
        }
    }

    private func wakeLocked(_ inbox: inout Inbox) {
        guard !inbox.wakeupPending else { return }
        inbox.wakeupPending = true
        curl_multi_wakeup(multi)
    }
}
