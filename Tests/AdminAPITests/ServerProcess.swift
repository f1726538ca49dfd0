import Foundation
import TestSupport

/// A `mailroom serve` process on a free loopback port, in a temporary home, for one test.
/// Everything it prints is kept so tests can scan the access log for secrets.
final class ServerProcess: @unchecked Sendable {
    struct NotReady: Error, CustomStringConvertible {
        var description: String
    }

    let home: TemporaryHome
    let token: String
    let port: Int
    private let process = Process()
    private let output = Output()

    /// Starts the server and waits for its `listening on` line.
    init(home: TemporaryHome = TemporaryHome(), token: String = "admin-\(UUID().uuidString)", arguments: [String] = []) throws {
        self.home = home
        self.token = token
        process.executableURL = URL(fileURLWithPath: MailroomBinary.path)
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--home", home.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MAILROOM_ADMIN_TOKEN"] = token
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let output = self.output
        stdout.fileHandleForReading.readabilityHandler = { output.append(stdout: $0.availableData) }
        stderr.fileHandleForReading.readabilityHandler = { output.append(stderr: $0.availableData) }
        try process.run()
        port = try Self.waitForPort(output, process: process)
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What the server wrote to stdout and stderr so far.
    var printed: String { output.stdout + output.stderr }
    var stderr: String { output.stderr }

    /// Sends SIGTERM and waits for the process to end; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.05)
        return process.terminationStatus
    }

    private static func waitForPort(_ output: Output, process: Process) throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let match = output.stdout.firstMatch(of: /mailroom serve listening on 127\.0\.0\.1:(\d+)\n/), let port = Int(match.1) {
                return port
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning { process.terminate() }
        throw NotReady(description: "mailroom serve did not become ready; stderr: \(output.stderr)")
    }

    /// Bytes from the child's pipes, gathered on Foundation's reader threads.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data()
        private var err = Data()

        func append(stdout data: Data) { lock.withLock { out.append(data) } }
        func append(stderr data: Data) { lock.withLock { err.append(data) } }
        var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
        var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    }
}
