import Foundation
import MailroomCore
import TestSupport
import Testing

/// `--metrics-listen`: Prometheus counters agree with what the sandbox received; `/readyz` follows key refusals.
@Suite struct MetricsTests {
    /// GETs `path` on the worker's metrics listener with the system curl; returns (status, body).
    static func get(_ port: Int, _ path: String) throws -> (Int, String) {
        let result = try ProcessRunner.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static func metricsPort(of worker: BackgroundProcess) throws -> Int {
        #expect(worker.waitForOutput { $0.contains("metrics listening") })
        let line = try #require(worker.stderr.split(separator: "\n").first { $0.contains("metrics listening") })
        return try #require(Int(line.split(separator: ":").last ?? ""))
    }

    /// The value of the sample whose line starts with `prefix` (name and labels), or nil.
    static func sample(_ text: String, _ name: String, labels: [String] = []) -> Double? {
        text.split(separator: "\n").first { line in
            line.hasPrefix(name + "{") || line.hasPrefix(name + " ") ? labels.allSatisfy { line.contains($0) } : false
        }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func countersMatchWhatTheSandboxReceived() throws {
        let scenario = try Scenario()
        let id = try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        try scenario.sandbox.setFaults(#"{"statuses": [503]}"#)
        let worker = try scenario.startWorker(["--metrics-listen", "127.0.0.1:0", "--retry-base", "20ms", "--retry-max", "50ms"])
        defer { worker.signal(SIGKILL) }
        let port = try Self.metricsPort(of: worker)
        try scenario.publishFixtureJobs(count: 12)
        #expect(eventually { (try? scenario.sandbox.messages().count) == 12 })
        #expect(eventually { (try? scenario.count("sent")) == 12 })

        let (status, text) = try Self.get(port, "/metrics")
        #expect(status == 200)
        let integration = "integration=\"\(id)\""
        let sent = Self.sample(text, "mailroom_deliveries_total", labels: [integration, "outcome=\"sent\""])
        #expect(sent == Double(try scenario.sandbox.messages().count))
        #expect(Self.sample(text, "mailroom_deliveries_total", labels: [integration, "outcome=\"deferred\"", "status=\"503\""]) == 1)
        #expect(Self.sample(text, "mailroom_retries_total", labels: [integration]) == 1)
        #expect(Self.sample(text, "mailroom_send_duration_seconds_count", labels: [integration]) == 13)
        #expect(Self.sample(text, "mailroom_jobs", labels: ["state=\"ready\""]) == 0)
        #expect(Self.sample(text, "mailroom_last_success_timestamp_seconds", labels: [integration]) ?? 0 > 0)
        #expect(!text.contains("@"), "no recipient or sender address in any label")
        #expect(try Self.get(port, "/healthz").0 == 200)
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
    }

    @Test func readyzTurnsUnreadyWhenAKeyIsRefusedAndReadyAfterTheFix() throws {
        let goodKey = TestKeys.make()
        let scenario = try Scenario(sandboxArguments: ["--key", goodKey])
        let id = try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "s@mailroom.example", fromName: "S")
        let worker = try scenario.startWorker(["--metrics-listen", "127.0.0.1:0"])
        defer { worker.signal(SIGKILL) }
        let port = try Self.metricsPort(of: worker)
        #expect(try Self.get(port, "/readyz").0 == 200)

        try scenario.publishFixtureJobs(count: 1)
        #expect(eventually { (try? scenario.count("held")) == 1 })
        let (status, body) = try Self.get(port, "/readyz")
        #expect(status == 503)
        #expect(body.contains("integration \(id) is paused"))
        #expect(Self.sample(try Self.get(port, "/metrics").1, "mailroom_integrations_paused") == 1)

        try scenario.changeKey(id, to: goodKey)
        #expect(eventually { (try? Self.get(port, "/readyz").0) == 200 })
        #expect(eventually { (try? scenario.count("sent")) == 1 })
        worker.signal(SIGTERM)
        #expect(worker.wait() == 0)
        SecretScanner.expectClean(worker.stdout + worker.stderr, context: "worker")
    }
}
