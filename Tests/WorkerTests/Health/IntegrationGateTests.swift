import Foundation
import Logging
import MailroomCore
import TestSupport
import Testing

@testable import Worker

/// The gate and the shared health file: pauses survive a file that cannot be read, a pause written by another
/// worker at the same moment is seen, and the file is private.
@Suite struct IntegrationGateTests {
    let config = ResolvedConfig(
        id: 1, environment: .stage, from: EmailAddress(email: "s@mailroom.example"), key: APIKey("SG.test"), revision: "r1")

    @Test func aCorruptHealthFileNeverClearsAKnownPause() throws {
        let home = TemporaryHome()
        let store = HealthStore(spool: home.path)
        let messages = LogCapture()
        let gate = IntegrationGate(store: store, logger: messages.logger)
        try gate.recordKeyRefused(1, revision: "r1", message: "HTTP 401", now: Date())
        #expect(gate.verdict(for: config) == .keyRefused("HTTP 401"))

        try Data("{not json".utf8).write(to: URL(fileURLWithPath: store.path))
        gate.refreshFromStore()
        #expect(gate.verdict(for: config) == .keyRefused("HTTP 401"), "an unreadable file cleared the pause")
        #expect(messages.text.contains("unreadable"), "the log does not say the file is unreadable: \(messages.text)")

        // The next write starts from what this worker knows, and keeps the unreadable file for a person.
        gate.recordSuccess(2)
        gate.flush()
        #expect(store.read()[1]?.state == .keyRefused, "the rewritten file lost the pause: \(store.read())")
        #expect(FileManager.default.contents(atPath: store.path + ".unreadable") == Data("{not json".utf8))
    }

    @Test func theHealthFileIsPrivateAndLeavesNoTemporaryFiles() throws {
        let home = TemporaryHome()
        let store = HealthStore(spool: home.path)
        for id in 1...20 { try store.update { $0[id] = IntegrationHealth(id: id, state: .rateLimited) } }
        var info = stat()
        #expect(stat(store.path, &info) == 0 && info.st_mode & 0o777 == 0o600, "mode \(String(info.st_mode & 0o777, radix: 8))")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(store.read().count == 20)
    }

    @Test func aPauseAnotherWorkerWritesWhileThisOneWritesIsSeen() throws {
        let home = TemporaryHome()
        let store = HealthStore(spool: home.path)
        for round in 0..<100 {
            let mine = IntegrationGate(store: store, logger: LogCapture().logger)
            mine.recordError(1, "HTTP 400 round \(round)")
            let other = Thread {
                try? store.update { $0[2] = refusal(round) }
            }
            other.start()
            mine.flush()
            while !other.isFinished { usleep(100) }
            mine.refreshFromStore()
            #expect(mine.refusedIDs.contains(2), "round \(round): the other worker's pause was missed")
            try store.update { $0[2] = nil }
        }
    }

    private func refusal(_ round: Int) -> IntegrationHealth {
        var health = IntegrationHealth(id: 2, state: .keyRefused)
        health.revision = "r\(round)"
        health.lastErrorAt = Timestamps.format(Date().addingTimeInterval(60))
        return health
    }
}

/// A logger whose messages a test can read.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
        }
    }
}
