import Foundation

/// Threads of the worker's own, as a `TaskExecutor`: the delivery loop and its sends run here (as the
/// preferred executor of the worker's task tree), not on Swift's cooperative pool.
///
/// The worker's file work blocks: a claim pass reads a folder, and recording an outcome fsyncs one (waiting for
/// a group commit in progress). A 2-core machine has two cooperative threads, which also answer `/metrics` and
/// everything else of the process; blocking them would stall all of it.
final class WorkerThreads: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var running: Int

    /// Starts `count` threads named `name`.
    init(count: Int, name: String) {
        running = count
        for index in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once every job enqueued so far has run (call it when nothing is left to run here).
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while let job = next() {
            job.runSynchronously(on: executor)
        }
    }

    /// The next job in order, or nil when stopping with none left.
    private func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if stopping {
                running -= 1
                return nil
            }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
