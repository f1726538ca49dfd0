import Foundation
import TestSupport
import Testing

/// The daemon picks up published jobs at once and registry changes without a restart.
@Suite struct DaemonTests {
    @Test func aJobPublishedWhileIdleReachesTheSandboxWithin100ms() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        let worker = try scenario.startWorker([])
        defer { worker.signal(SIGKILL) }
        #expect(worker.waitForOutput { $0.contains("worker started") })
        Thread.sleep(forTimeInterval: 0.3)

        var latencies: [Double] = []
        for index in 1...5 {
            let published = Date().timeIntervalSince1970
            try scenario.publishFixtureJobs(count: 1, prefix: "idle\(index)")
            #expect(eventually(timeout: .seconds(5), interval: .milliseconds(2)) { (try? scenario.sandbox.messages().count) == index })
            let received = try scenario.sandbox.messages().compactMap { $0["received_at_unix_ns"] as? Int }.max() ?? 0
            latencies.append(Double(received) / 1e9 - published)
            Thread.sleep(forTimeInterval: 0.2)
        }
        let median = latencies.sorted()[latencies.count / 2]
        #expect(median < 0.1, "publish-to-request latencies \(latencies)")
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
    }

    @Test func aConfigAddedToTheRegistryIsUsedWithoutARestart() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "first@mailroom.example", fromName: "First")
        let worker = try scenario.startWorker([])
        defer { worker.signal(SIGKILL) }
        #expect(worker.waitForOutput { $0.contains("worker started") })

        let second = try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "second@mailroom.example", fromName: "Second")
        try scenario.publishFixtureJobs(count: 1, prefix: "second", integration: second)
        #expect(eventually { (try? scenario.sandbox.messages().count) == 1 })
        let request = try scenario.sandbox.messages().first?["request"] as? [String: Any]
        #expect((request?["from"] as? [String: Any])?["email"] as? String == "second@mailroom.example")
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
        SecretScanner.expectClean(worker.stdout + worker.stderr, context: "worker")
    }

    @Test func aBrokenRegistryOnReloadKeepsTheLastGoodOne() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        let worker = try scenario.startWorker([])
        defer { worker.signal(SIGKILL) }
        #expect(worker.waitForOutput { $0.contains("worker started") })

        let good = try #require(scenario.home.read("registry.json"))
        try scenario.home.write("registry.json", "{ not json")
        worker.signal(SIGHUP)
        #expect(worker.waitForOutput { $0.contains("keeping the last good registry") })
        try scenario.publishFixtureJobs(count: 1)
        #expect(eventually { (try? scenario.sandbox.messages().count) == 1 })
        try scenario.home.write("registry.json", good)
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
    }
}
