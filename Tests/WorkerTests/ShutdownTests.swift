import Foundation
import TestSupport
import Testing

/// SIGTERM stops claiming, lets in-flight sends finish within the grace period, and puts the rest back.
@Suite struct ShutdownTests {
    @Test func sigtermFinishesInFlightSendsAndLeavesTheRestReady() throws {
        let scenario = try Scenario(sandboxArguments: ["--latency", "2s"])
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.publishFixtureJobs(count: 40)
        let worker = try scenario.startWorker(["--concurrency", "16", "--grace", "10s"])
        #expect(eventually { (try? scenario.count("active")) == 16 })

        let signalled = ContinuousClock.now
        worker.signal(SIGTERM)
        let status = worker.wait(timeout: .seconds(15))
        #expect(status == 0)
        #expect(ContinuousClock.now - signalled < .seconds(10))

        #expect(try scenario.count("sent") == 16)
        #expect(try scenario.count("ready") == 24)
        #expect(try scenario.count("active") == 0)
    }

    @Test func sendsStillRunningWhenTheGraceEndsArePutBackToReady() throws {
        let scenario = try Scenario(sandboxArguments: ["--latency", "20s"])
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.publishFixtureJobs(count: 4)
        let worker = try scenario.startWorker(["--concurrency", "4", "--grace", "500ms"])
        #expect(eventually { (try? scenario.count("active")) == 4 })

        let signalled = ContinuousClock.now
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(10)) == 0)
        #expect(ContinuousClock.now - signalled < .seconds(5))
        #expect(try scenario.count("ready") == 4)
        #expect(try scenario.count("active") == 0)
    }
}
