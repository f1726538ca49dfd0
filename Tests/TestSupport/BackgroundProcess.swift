import Foundation
import MailroomCore

/// A long-running child process (a daemon worker) whose output is collected while it runs,
/// and which tests can signal, kill and wait for.
public final class BackgroundProcess: @unchecked Sendable {
    public let process = Process()
    private let collected = Collected()

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = TestEnvironment.merged(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collected = self.collected
        out.fileHandleForReading.readabilityHandler = { handle in collected.appendOut(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { handle in collected.appendErr(handle.availableData) }
        try process.run()
    }

    /// Starts `mailroom ARGS` in the background.
    public static func mailroom(_ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        try BackgroundProcess(MailroomBinary.path, arguments, environment: environment)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stdout: String { collected.stdout }
    public var stderr: String { collected.stderr }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit; returns its status, or nil if it is still running after `timeout`.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.02)
        return process.terminationStatus
    }

    /// Waits until `condition` holds on the collected stderr (or stdout), polling.
    public func waitForOutput(timeout: Duration = .seconds(30), _ condition: (String) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(stdout + stderr) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(20), interval: Duration = .milliseconds(20), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval.seconds)
    }
    return try condition()
}
