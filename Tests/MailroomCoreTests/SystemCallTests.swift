import Foundation
import Glibc
import MailroomCore
import Synchronization
import Testing

/// Counts SIGUSR2 deliveries; a C signal handler cannot capture, so it is a global.
private let interruptions = Atomic<Int>(0)

/// `SystemCall`: EINTR is retried, errno is the one of the failing call, and short writes lose nothing.
@Suite struct SystemCallTests {
    @Test func aCallInterruptedBySignalsIsMadeAgainUntilItAnswers() throws {
        var calls = 0
        let result = try SystemCall.retrying { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)
    }

    @Test func aFailureCarriesTheErrnoOfTheCallNotOfWhatRanAfterIt() {
        #expect(throws: SystemError(code: EBADF)) {
            try SystemCall.retrying { () -> Int in
                let result = write(-1, "x", 1)  // EBADF
                return result
            }
        }
        let failure = FileFailure("write", "/nowhere", SystemError(code: ENOSPC))
        #expect(failure.description == "cannot write /nowhere: \(String(cString: strerror(ENOSPC)))")
    }

    @Test func writeAllDeliversEveryByteThroughAFullPipeWhileSignalsInterruptIt() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        defer {
            close(reader)
            close(writer)
        }
        _ = fcntl(writer, 1031, 4096)  // F_SETPIPE_SZ (GNU-only, not imported): the smallest pipe, so writes block and split

        // A handler without SA_RESTART, so a signal makes a blocked write(2) return early: with EINTR if it
        // wrote nothing yet, with a short count if it wrote part.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptions.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        #expect(sigaction(SIGUSR2, &action, &previous) == 0)
        defer { sigaction(SIGUSR2, &previous, nil) }

        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let state = WriterState()
        let thread = Thread {
            var usr2 = sigset_t()
            sigemptyset(&usr2)
            sigaddset(&usr2, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &usr2, nil)  // a thread may inherit a mask that blocks it
            state.thread.withLock { $0 = pthread_self() }
            let result = Result { () throws(SystemError) in try SystemCall.writeAll(writer, payload) }
            state.outcome.withLock { $0 = result }
            state.release.wait()  // stays alive while the test may still signal it
        }
        thread.start()
        defer { state.release.signal() }

        let before = interruptions.load(ordering: .relaxed)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1000)
        let deadline = Date().addingTimeInterval(60)
        while received.count < payload.count && Date() < deadline {
            if let target = state.thread.withLock({ $0 }), state.outcome.withLock({ $0 == nil }) {
                pthread_kill(target, SIGUSR2)
            }
            usleep(200)
            var ready = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else { continue }
            let count = read(reader, &chunk, 1000)
            if count > 0 { received += chunk[0..<count] }
        }
        while state.outcome.withLock({ $0 == nil }) && Date() < deadline { usleep(1000) }

        #expect(throws: Never.self) { try state.outcome.withLock { $0 }?.get() }
        #expect(received.count == payload.count)
        #expect(received == payload)
        #expect(interruptions.load(ordering: .relaxed) > before)
    }
}

/// What the writing thread shares with the test: its id (to signal it), its result, and when it may exit.
private final class WriterState: Sendable {
    let thread = Mutex<pthread_t?>(nil)
    let outcome = Mutex<Result<Void, SystemError>?>(nil)
    let release = DispatchSemaphore(value: 0)
}
