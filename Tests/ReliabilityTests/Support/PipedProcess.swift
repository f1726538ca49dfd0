import Foundation
import Glibc
import TestSupport

/// A `mailroom` child whose stdin the test writes by hand (slowly, in parts), to kill it mid-read or mid-write.
final class PipedProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let out = Pipe()
    private let err = Pipe()
    private let lock = NSLock()
    private var collected = Data()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        // A write to a child that died must fail with EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: MailroomBinary.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        for pipe in [out, err] {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.lock.withLock { self?.collected.append(data) }
            }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for pipe in [out, err] { pipe.fileHandleForReading.readabilityHandler = nil }
    }

    /// Writes `data` to the child's stdin; false if the child is gone.
    @discardableResult
    func write(_ data: Data) -> Bool {
        (try? input.fileHandleForWriting.write(contentsOf: data)) != nil
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the exit; nil if still running after `timeout`.
    func wait(timeout: Duration = .seconds(30)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            Thread.sleep(forTimeInterval: 0.002)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Everything printed so far (stdout and stderr).
    var output: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }
}
