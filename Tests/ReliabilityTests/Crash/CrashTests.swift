import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// kill -9 in every phase: `enqueue` mid-read and mid-write, the worker while it claims, sends, moves and logs,
/// and `integrations add` while it writes the registry. Nothing is lost, nothing partial is ever visible,
/// and only jobs in flight are sent again — each such re-send visible in the delivery log.
@Suite struct CrashTests {
    // MARK: enqueue

    @Test func enqueueKilledWhileReadingOrWritingNeverPublishesAPartialJob() throws {
        let rig = try Rig()
        defer { rig.finish() }
        let cycles = Soak.size(fast: 8, soak: 40)
        let small = try GoodJobs.all[0]
        // A job of about 6 MiB takes long enough to write and fsync that a kill lands inside that window too.
        let large = Data(
            (#"{"to": "ana@example.com", "subject": "Big", "text": "t", "attachments": [{"filename": "a.bin", "content": ""#
                + String(repeating: "QUJD", count: 1_500_000) + #""}]}"#).utf8)
        var published: [String: Data] = [:]
        var killedMidRead = 0
        var killedAfterInput = 0

        for cycle in 0..<cycles {
            let id = "enq-\(cycle)"
            let job = cycle % 2 == 0 ? small : large
            let child = try PipedProcess(rig.home.arguments(["enqueue", "-", "--id", id]))
            let cut = Int.random(in: 1..<job.count)
            child.write(job.prefix(cut))
            if cycle % 4 < 2 {
                // Mid-read: half a job on a slow pipe, then the kill.
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.08))
                child.kill9()
                killedMidRead += 1
                #expect(!FileManager.default.fileExists(atPath: rig.spool + "/new/\(id).json"), "half a job became visible as \(id)")
            } else {
                // The whole job, then a kill at a random moment of validation, write, fsync or rename.
                child.write(job.suffix(from: cut))
                child.closeInput()
                Thread.sleep(forTimeInterval: Double.random(in: 0...0.06))
                child.kill9()
                killedAfterInput += 1
                if let visible = FileManager.default.contents(atPath: rig.spool + "/new/\(id).json") {
                    #expect(visible == job, "\(id) is visible in new/ but not byte for byte the job")
                    published[id] = job
                }
            }
            expectEveryReadyJobIsWhole(rig)
        }

        // Whatever was published is delivered; nothing partial fails to parse.
        try rig.addConfig(key: TestKeys.make())
        let drained = try rig.run(["--drain"])
        #expect(drained.status == 0, "\(drained.stderr)")
        #expect(rig.jobFiles(in: "failed").isEmpty, "a published job was not whole: \(rig.jobFiles(in: "failed"))")
        #expect(Set(try rig.acceptedJobIDs()) == Set(published.keys))
        CrashFigures.add(enqueueKills: killedMidRead + killedAfterInput)
    }

    // MARK: The worker

    @Test func workerKilledInEveryPhaseLosesNothingAndLogsEveryPossibleResend() throws {
        let jobs = Soak.size(fast: 600, soak: 5000)
        let kills = Soak.size(fast: 6, soak: 20)
        let concurrency = Soak.size(fast: 16, soak: 32)
        // Slow enough answers that the kills land while jobs are still going out (5,000 at 32 in flight: ~16 s).
        let rig = try Rig(sandboxArguments: ["--latency", Soak.size(fast: "40ms", soak: "100ms")])
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let ids = try rig.publishJobs(count: jobs, prefix: "crash")
        var phases: [String: Int] = [:]

        for kill in 0..<kills {
            let worker = try rig.start(["--concurrency", String(concurrency)])
            let phase = try waitForPhase(kill % 4, rig: rig, worker: worker, concurrency: concurrency)
            worker.signal(SIGKILL)
            _ = worker.wait(timeout: .seconds(10))
            phases[phase, default: 0] += 1
            try expectEveryJobSomewhere(rig, ids: ids, after: "kill \(kill + 1) (\(phase))")
            if rig.jobFiles(in: "new").isEmpty && rig.jobFiles(in: "active").isEmpty {
                // Everything went out before the last kills: give them more to interrupt.
                break
            }
        }

        let final = try rig.run(["--drain", "--concurrency", String(concurrency)], timeout: .seconds(600))
        #expect(final.status == 0, "\(final.stderr.suffix(500))")
        let accepted = try rig.acceptedJobIDs()
        let distinct = Set(accepted)
        #expect(distinct == Set(ids), "jobs lost: \(Set(ids).subtracting(distinct).sorted().prefix(5))")
        let killCount = phases.values.reduce(0, +)
        let resent = accepted.count - distinct.count
        #expect(resent <= concurrency * killCount, "\(resent) re-sends after \(killCount) kills at concurrency \(concurrency)")
        #expect(rig.jobFiles(in: "sent").count == ids.count)
        #expect(rig.jobFiles(in: "failed").isEmpty && rig.jobFiles(in: "new").isEmpty && rig.jobFiles(in: "active").isEmpty)
        #expect(rig.events().allSatisfy { $0["unparsable"] == nil }, "a torn delivery-log line")

        // Every re-send is visible in the log: the job was put back to ready from a dead worker's claim.
        var times: [String: Int] = [:]
        for id in accepted { times[id, default: 0] += 1 }
        let requeued = Dictionary(grouping: rig.events("requeued"), by: { $0["job"] as? String ?? "" })
        for (id, count) in times where count > 1 {
            #expect((requeued[id]?.count ?? 0) >= count - 1, "\(id) was sent \(count) times but the log shows no recovery of it")
        }
        CrashFigures.add(workerKills: killCount, jobs: ids.count, lost: Set(ids).subtracting(distinct).count, resent: resent, phases: phases)
    }

    /// Waits until the worker is in one of four phases (cycled through by the kills), and names it.
    private func waitForPhase(_ which: Int, rig: Rig, worker: BackgroundProcess, concurrency: Int) throws -> String {
        switch which {
        case 0:
            // Start-up: recovering the last worker's claims and claiming the first batch.
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.15))
            return "start-up and claim"
        case 1:
            // A full set of sends in flight.
            _ = eventually(timeout: .seconds(10), interval: .milliseconds(2)) { rig.jobFiles(in: "active").count >= concurrency }
            return "sends in flight"
        case 2:
            // In the middle of answers: outcomes being logged and jobs moved to sent/.
            let before = rig.jobFiles(in: "sent").count
            _ = eventually(timeout: .seconds(10), interval: .milliseconds(1)) { rig.jobFiles(in: "sent").count > before + concurrency / 2 }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.01))
            return "log append and state move"
        default:
            Thread.sleep(forTimeInterval: Double.random(in: 0.1...0.7))
            return "random moment"
        }
    }

    // MARK: The registry

    @Test func integrationsAddKilledMidWriteLeavesAValidRegistryAndNoCopyOfAKey() throws {
        let rig = try Rig()
        defer { rig.finish(registryMayHoldKey: true) }
        let cycles = Soak.size(fast: 10, soak: 60)
        try rig.addConfig(key: TestKeys.make())
        let worker = try rig.start([])
        #expect(worker.waitForOutput { $0.contains("worker started") })
        // Aim the kills at the end of an add's life, where it writes, fsyncs and renames the registry.
        let clock = ContinuousClock()
        let lifetime = try clock.measure { try rig.addConfig(key: TestKeys.make(), environment: "production") }.seconds
        var completed = 2
        for cycle in 0..<cycles {
            let key = TestKeys.make()
            let body =
                #"{"integration": 4, "data": {"environment": "production", "api_key": "\#(key)", "from_email": "p\#(cycle)@mailroom.example"}}"#
            let child = try PipedProcess(rig.home.arguments(["integrations", "add", "-"]))
            child.write(Data(body.utf8))
            child.closeInput()
            Thread.sleep(forTimeInterval: Double.random(in: lifetime * 0.4...lifetime * 1.1))
            child.kill9()
            if child.process.terminationStatus == 0 && child.process.terminationReason == .exit { completed += 1 }
            rig.keep(child.output, context: "integrations add (killed)")

            let list = try rig.mailroom(["integrations", "list"])
            #expect(list.status == 0, "after kill \(cycle): \(list.stderr)")
            let registry = try #require(FileManager.default.contents(atPath: rig.home.registry))
            #expect((try? JSONSerialization.jsonObject(with: registry)) != nil, "the registry is not whole after kill \(cycle)")
        }
        // The lock of a killed writer is free: the next add goes through at once.
        let last = try rig.addConfig(key: TestKeys.make(), environment: "production")
        let file = try Fixtures.object(try #require(rig.home.read("registry.json")))
        let records = file["integrations"] as? [[String: Any]] ?? []
        let ids = records.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == ids.count && ids.contains(last))
        #expect((file["next_id"] as? Int ?? 0) > (ids.max() ?? 0))
        #expect(records.count >= completed + 1)

        // A killed writer's temporary file would be a second copy of a key: none may stay beside the registry.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: rig.home.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty, "temporary registry files left behind: \(leftovers)")

        // The worker never saw half a registry.
        try rig.publishJobs(count: 2)
        #expect(eventually { rig.jobFiles(in: "sent").count == 2 })
        #expect(!worker.stderr.contains("keeping the last good registry"), "the worker read a partial registry: \(worker.stderr.suffix(400))")
        CrashFigures.add(registryKills: cycles)
    }
}

/// Checks between kills.
extension CrashTests {
    /// Every file in `new/` is a whole job (it parses).
    func expectEveryReadyJobIsWhole(_ rig: Rig, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in rig.jobFiles(in: "new") {
            guard let data = FileManager.default.contents(atPath: rig.spool + "/new/" + name) else { continue }
            #expect((try? JobParser.parse(data)) != nil, "new/\(name) is not a whole job", sourceLocation: sourceLocation)
        }
    }

    /// Every job is in the spool somewhere (ready, claimed, sent, deferred, failed); the ready ones are whole.
    func expectEveryJobSomewhere(_ rig: Rig, ids: [String], after moment: String) throws {
        var present = Set<String>()
        for folder in ["new", "active", "sent", "deferred", "failed", "paused"] {
            for name in rig.jobFiles(in: folder) { present.insert(String(name.dropLast(5))) }
        }
        let missing = ids.filter { !present.contains($0) }
        #expect(missing.isEmpty, "after \(moment): \(missing.count) jobs are nowhere, e.g. \(missing.prefix(3))")
        expectEveryReadyJobIsWhole(rig)
    }
}

/// Totals for the soak report.
enum CrashFigures {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var figures: [String: Any] = [:]

    static func add(
        enqueueKills: Int = 0, registryKills: Int = 0, workerKills: Int = 0, jobs: Int = 0, lost: Int = 0, resent: Int = 0,
        phases: [String: Int] = [:]
    ) {
        let snapshot: [String: Any] = lock.withLock {
            func bump(_ key: String, _ value: Int) { figures[key] = (figures[key] as? Int ?? 0) + value }
            bump("enqueue_kills", enqueueKills)
            bump("registry_kills", registryKills)
            bump("worker_kills", workerKills)
            bump("jobs", jobs)
            bump("lost", lost)
            bump("resent", resent)
            var known = figures["phases"] as? [String: Int] ?? [:]
            for (phase, count) in phases { known[phase, default: 0] += count }
            figures["phases"] = known
            return figures
        }
        Soak.report("crash", snapshot)
    }
}
