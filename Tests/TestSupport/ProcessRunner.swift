import Foundation

/// Runs a program with arguments, optional stdin and extra environment, capturing stdout and stderr.
public enum ProcessRunner {
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
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let collected = Collected()
        // Each pipe is read by its handler alone, to its end: reading what is left from this thread after the exit
        // raced a handler still running and could lose or reorder a chunk (seen on slow sanitizer builds).
        let drained = DispatchGroup()
        for (pipe, append) in [(out, collected.appendOut), (err, collected.appendErr)] as [(Pipe, @Sendable (Data) -> Void)] {
            drained.enter()
            let ended = EndOnce(drained)
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    ended.end()
                } else {
                    append(data)
                }
            }
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
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
        _ = drained.wait(timeout: .now() + 10)
        return ProcessResult(status: process.terminationStatus, stdout: collected.stdout, stderr: collected.stderr)
    }
}

/// Leaves a dispatch group once, however often a pipe's handler sees its end.
final class EndOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var group: DispatchGroup?

    init(_ group: DispatchGroup) { self.group = group }

    func end() {
        let leaving = lock.withLock { () -> DispatchGroup? in
            defer { group = nil }
            return group
        }
        leaving?.leave()
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
