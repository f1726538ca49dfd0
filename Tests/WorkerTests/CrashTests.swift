import Foundation
import TestSupport
import Testing

/// kill -9 at any moment loses no job; only jobs in flight may be sent twice.
@Suite struct CrashTests {
    @Test func killNineDuringARunLosesNothingAndResendsAtMostTheConcurrencyPerKill() throws {
        let scenario = try Scenario(sandboxArguments: ["--latency", "5ms"])
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        let ids = try scenario.publishFixtureJobs(count: 2000)
        let concurrency = 16
        let kills = 5

        for _ in 0..<kills {
            let worker = try scenario.startWorker(["--concurrency", String(concurrency)])
            Thread.sleep(forTimeInterval: Double.random(in: 0.15...0.6))
            worker.signal(SIGKILL)
            _ = worker.wait()
        }
        let final = try scenario.runWorker(["--drain", "--concurrency", String(concurrency)])
        #expect(final.status == 0, "\(final.stderr)")

        let accepted = try scenario.acceptedJobIDs()
        let distinct = Set(accepted)
        #expect(distinct == Set(ids), "every job reached the sandbox")
        let resent = accepted.count - distinct.count
        #expect(resent <= concurrency * kills, "re-sends \(resent) exceed \(concurrency) per kill")
        #expect(try scenario.count("sent") == ids.count)
        #expect(try scenario.count("ready") == 0)
        #expect(try scenario.count("active") == 0)
    }
}
