import Foundation

/// Runs a program with arguments, optional stdin and extra environment, capturing stdout and stderr.
public enum ProcessRunner {
    /// SIGPIPE ignored once for the test process, so a write to a pipe whose reader is gone fails with EPIPE.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = TestEnvironment.merged(environment)
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let collected = Collected()
        try process.run()
        // Each pipe is read to its end by a thread of its own. A readability handler plus a last read after the exit
        // raced (a chunk lost or out of order, seen on slow sanitizer builds), and on Linux a handler can miss the
        // end of a pipe altogether.
        let drained = DispatchGroup()
        for (handle, append) in [(out.fileHandleForReading, collected.appendOut), (err.fileHandleForReading, collected.appendErr)]
            as [(FileHandle, @Sendable (Data) -> Void)]
        {
            drained.enter()
            Thread {
                append(handle.readDataToEndOfFile())
                drained.leave()
            }.start()
        }
        // A program may exit without reading all of its input (a usage error is found before stdin is read): the
        // write then fails with EPIPE, which must neither kill the test process (SIGPIPE) nor crash it (the
        // non-throwing `write(_:)` traps on any error). The program's answer is what the test checks.
        if let stdin {
            _ = ignoreBrokenPipes
            try? input.fileHandleForWriting.write(contentsOf: stdin)
        }
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw Timeout(description: "\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        // Both pipes reach their end once the process (and anything that inherited them) is gone.
        drained.wait()
        return ProcessResult(status: process.terminationStatus, stdout: collected.stdout, stderr: collected.stderr)
    }
}

/// Output gathered from a child's pipes on Foundation's reader threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func appendOut(_ data: Data) { lock.withLock { out.append(data) } }
    func appendErr(_ data: Data) { lock.withLock { err.append(data) } }
    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
}
