import Foundation
import Logging
import MailroomCore
import Registry
import Spool
import TestSupport
import Testing

@testable import Worker

/// One worker in process: a temporary spool, a registry with one stage config, the delivery log, and a
/// `ScriptedSender` instead of SendGrid. No process, no socket: the worker's logic alone.
final class WorkerHarness: @unchecked Sendable {
    let home = TemporaryHome()
    let spool: Spool
    let log: DeliveryLogWriter
    let registry: RegistryStore
    let sender = ScriptedSender()
    var options = WorkerOptions()
    private(set) var configID = 0
    /// Where the worker's task starts: the test process's cooperative threads may all be busy with tests that
    /// block (process-level suites run beside these), and a worker must not wait for one to start.
    private let threads = WorkerThreads(count: 1, name: "harness")

    deinit {
        threads.shutdown()
    }

    init(mode: WorkerOptions.Mode = .drain, concurrency: Int = 4, withConfig: Bool = true) throws {
        spool = try Spool(root: home.spool)
        log = try DeliveryLogWriter(path: home.deliveryLog)
        registry = RegistryStore(path: home.registry)
        options.mode = mode
        options.concurrency = concurrency
        options.retry = RetryPolicy(base: .milliseconds(20), maximum: .milliseconds(40), maxAttempts: 3, maxAge: .seconds(3600))
        options.rescanInterval = .milliseconds(200)
        options.probeInterval = .milliseconds(50)
        options.grace = .seconds(5)
        if withConfig { configID = try addConfig(key: TestKeys.make()) }
    }

    @discardableResult
    func addConfig(key: String) throws -> Int {
        let request = """
            {"integration": 4, "data": {"environment": "stage", "api_key": "\(key)", "from_email": "s@mailroom.example", "from_name": "S"}}
            """
        return try registry.create(request: Data(request.utf8)).id
    }

    func changeKey(to key: String) throws {
        _ = try registry.update(id: configID, request: Data(#"{"data": {"api_key": "\#(key)", "changeKeys": true}}"#.utf8))
    }

    func makeWorker() throws -> DeliveryWorker {
        try DeliveryWorker(
            options: options, queue: SpoolQueue(spool: spool, log: log), health: HealthStore(spool: spool.root), registry: registry,
            sender: sender, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Publishes `count` valid jobs `PREFIX-N`; returns their IDs.
    @discardableResult
    func publish(_ count: Int, prefix: String = "job") throws -> [String] {
        try (0..<count).map { index in
            let id = "\(prefix)-\(index)"
            _ = try spool.enqueue(Data(#"{"to": "p\#(index)@example.com", "subject": "Job \#(index)", "text": "Hello."}"#.utf8), id: id)
            return id
        }
    }

    /// Runs `worker` (a daemon) in a task of its own; `requestStop()` ends it.
    func start(_ worker: DeliveryWorker) -> Task<Void, any Error> {
        Task(executorPreference: threads) { try await worker.run() }
    }

    /// Runs a `--drain` or `--once` worker to its end; fails the test if it takes longer than `timeout`.
    func runToEnd(timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let worker = try makeWorker()
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask(executorPreference: threads) {
                try await worker.run()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(finished, "the worker did not end within \(timeout)", sourceLocation: sourceLocation)
    }

    /// Waits for `condition`, polling, up to `timeout`.
    func until(timeout: Duration = .seconds(15), _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return try condition()
    }

    func state(_ id: String) -> JobState? {
        (try? spool.entry(id))??.state
    }

    /// The delivery log's events for `job` (all jobs when nil), in order.
    func events(_ job: String? = nil) -> [[String: Any]] {
        (home.read("log/delivery.jsonl") ?? "").split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { job == nil || $0["job"] as? String == job }
    }

    func kinds(_ job: String) -> [String] {
        events(job).compactMap { $0["event"] as? String }
    }
}
