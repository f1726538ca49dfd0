import Foundation
import TestSupport
import Testing

/// `--drain` runs until nothing is ready, active or deferred (docs/spool.md#running-the-worker). A job between its answer and its next
/// state is none of those for a moment; a drain that looked then used to exit 0 with the job deferred
/// (about one run in fifty). Many short drains, in parallel lanes, each with two transient failures.
@Suite struct DrainRaceTests {
    static let rounds = Soak.size(fast: 20, soak: 200)

    @Test func aDrainNeverEndsWhileAJobIsOnItsWayToDeferred() throws {
        let lanes = 3
        let misses = Locked<[String]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            do {
                let rig = try Rig()
                defer { rig.finish() }
                try rig.addConfig(key: TestKeys.make())
                for round in 0..<Self.rounds {
                    try rig.sandbox.setFaults(#"{"statuses": [500, 500]}"#)
                    let id = "lane\(lane)-\(round)"
                    try rig.publish(try GoodJobs.all[round % 4], name: id + ".json")
                    let result = try rig.run(["--drain", "--retry-base", "1ms", "--retry-max", "2ms"])
                    if result.status != 0 { failures.update { $0.append("\(id): exit \(result.status)") } }
                    if !rig.jobFiles(in: "sent").contains(id + ".json") {
                        misses.update { $0.append("\(id): deferred \(rig.jobFiles(in: "deferred")), active \(rig.jobFiles(in: "active"))") }
                    }
                }
            } catch {
                failures.update { $0.append("lane \(lane): \(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
        #expect(misses.value.isEmpty, "drain exited with the job not sent: \(misses.value)")
    }
}
