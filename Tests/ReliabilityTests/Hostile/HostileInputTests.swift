import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// Hostile job files, through `enqueue` and dropped straight into `new/` under a running worker: each refused
/// naming its field, nothing half-written, and the worker keeps delivering good jobs through all of it.
@Suite struct HostileInputTests {
    static let oversizedName = "oversized-25mib.json"

    /// The corpus plus a 25 MiB file generated here (too big to commit).
    static func hostileFiles() throws -> [(name: String, data: Data, field: String)] {
        var files = try BadJobCorpus.expected.keys.sorted().map { name in
            (name: name, data: try BadJobCorpus.data(name), field: BadJobCorpus.expected[name] ?? "?")
        }
        files.append((oversizedName, BadJobCorpus.oversized(25 * 1024 * 1024), "job"))
        return files
    }

    @Test func enqueueRefusesEveryHostileJobNamingItsFieldAndWritesNothing() throws {
        let rig = try Rig()
        defer { rig.finish() }
        let files = try Self.hostileFiles()
        #expect(files.count >= 41, "the corpus has at least 40 files")
        let inputs = rig.home.path + "/inputs"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        for file in files { try file.data.write(to: URL(fileURLWithPath: inputs + "/" + file.name)) }

        let results = Locked<[String: ProcessResult]>([:])
        let lanes = 3
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for (index, file) in files.enumerated() where index % lanes == lane {
                let result = try? rig.mailroom(["enqueue", inputs + "/" + file.name, "--id", "hostile-\(index)"])
                results.update { $0[file.name] = result }
            }
        }
        let answers = results.value
        for file in files {
            guard let result = answers[file.name] else {
                Issue.record("\(file.name): enqueue did not finish")
                continue
            }
            #expect(result.status == 65, "\(file.name): exit \(result.status), \(result.stderr)")
            #expect(
                result.stderr.contains("invalid job: \(file.field):"), "\(file.name): the refusal does not name \(file.field): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(file.name): printed an ID for a refused job")
            #expect(!result.stderr.dropLast().contains("\n"), "\(file.name): the refusal is not one line")
        }
        #expect(rig.names(in: "new").isEmpty, "refused jobs became visible: \(rig.names(in: "new").prefix(5))")
        #expect(rig.names(in: "tmp").isEmpty, "refused jobs left files in tmp/: \(rig.names(in: "tmp").prefix(5))")
        HostileFigures.add(enqueued: files.count)
    }

    @Test func everyHostileJobDroppedIntoNewFailsNamingItsFieldWhileTheWorkerKeepsSending() throws {
        let rig = try Rig(keepStore: true)
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let worker = try rig.start(["--concurrency", "8"])
        #expect(worker.waitForOutput { $0.contains("worker started") })

        let files = try Self.hostileFiles()
        var good: [String] = []
        for (index, file) in files.enumerated() {
            try rig.publish(file.data, name: file.name)
            if index % 10 == 0 {
                let id = "good-\(index)"
                try rig.publish(try GoodJobs.all[index % 4], name: id + ".json")
                good.append(id)
            }
        }
        let settled = eventually(timeout: .seconds(60)) {
            rig.jobFiles(in: "failed").count == files.count && rig.jobFiles(in: "sent").count == good.count
        }
        #expect(settled, "failed \(rig.jobFiles(in: "failed").count)/\(files.count), sent \(rig.jobFiles(in: "sent").count)/\(good.count)")
        #expect(worker.isRunning, "the worker died on hostile input: \(worker.stderr.suffix(1000))")

        for file in files {
            let id = String(file.name.dropLast(5))
            guard let reason = rig.reason(id) else {
                Issue.record("\(file.name): no failed/\(id).reason.json")
                continue
            }
            #expect(
                reason["field"] as? String == file.field, "\(file.name): reason names \(reason["field"] ?? "no field"), not \(file.field): \(reason)")
            #expect((reason["reason"] as? String)?.isEmpty == false)
            let kept = FileManager.default.contents(atPath: rig.spool + "/failed/" + file.name)
            #expect(kept == file.data, "\(file.name): failed/ does not hold the original bytes")
            #expect(rig.events("failed", job: id).count == 1, "\(file.name): not logged once as failed")
        }
        #expect(Set(try rig.acceptedJobIDs()) == Set(good), "the good jobs between the hostile ones were not all delivered")
        #expect(rig.events().allSatisfy { $0["unparsable"] == nil }, "a delivery-log line does not parse")

        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0, "the worker did not stop cleanly after hostile input")
        HostileFigures.add(dropped: files.count)
    }
}

/// A value shared between threads of one test.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

/// Totals for the soak report.
enum HostileFigures {
    private static let totals = Locked<[String: Int]>([:])

    static func add(enqueued: Int = 0, dropped: Int = 0, unsafe: Int = 0) {
        totals.update { totals in
            totals["corpus_files", default: 0] = max(totals["corpus_files"] ?? 0, BadJobCorpus.expected.count)
            totals["through_enqueue", default: 0] += enqueued
            totals["dropped_into_new", default: 0] += dropped
            totals["unsafe_entries", default: 0] += unsafe
        }
        Soak.report("hostile", totals.value)
    }
}
