import Foundation
import TestSupport
import Testing

/// SIGTERM stops claiming, lets in-flight sends finish within the grace period, and puts the rest back.
@Suite struct ShutdownTests {
    @Test func sigtermFinishesInFlightSendsAndLeavesTheRestReady() throws {
        let scenario = try Scenario(sandboxArguments: ["--latency", "3s"])
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.publishFixtureJobs(count: 40)
        let worker = try scenario.startWorker(["--concurrency", "16", "--grace", "10s"])
        #expect(eventually { (try? scenario.count("active")) == 16 })
        // On a slow machine (sanitizers, a loaded CI) the first sends may finish before the
        // 16th job is claimed; those finished before the signal and are not part of the claim.
        let sentBeforeSignal = try scenario.count("sent")

        let signalled = ContinuousClock.now
        worker.signal(SIGTERM)
        let status = worker.wait(timeout: .seconds(15))
        #expect(status == 0)
        #expect(ContinuousClock.now - signalled < .seconds(10))

        let sent = try scenario.count("sent")
        let ready = try scenario.count("ready")
        #expect(sent == sentBeforeSignal + 16, "\(sentBeforeSignal) sent before SIGTERM, \(sent) after")
        #expect(ready == 40 - sent, "\(sent) sent, \(ready) ready")
        #expect(try scenario.count("active") == 0)
    }

    @Test func sendsStillRunningWhenTheGraceEndsArePutBackToReady() throws {
        let scenario = try Scenario(sandboxArguments: ["--latency", "8s"])
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
