import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// An outage must not burn jobs: with the endpoint refusing connections, then answering 503 to everything,
/// for many retry intervals, every job waits without spending attempts and is delivered once it is back.
@Suite struct OutageTests {
    static let jobs = Soak.size(fast: 12, soak: 300)
    static let fastRetry = ["--retry-base", "100ms", "--retry-max", "200ms", "--max-attempts", "2", "--probe-interval", "300ms"]

    @Test func anOutageOfManyRetryIntervalsFailsNoJob() throws {
        let rig = try Rig()
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let ids = try rig.publishJobs(count: Self.jobs, prefix: "outage")
        let port = try Self.unusedPort()
        let downSince = Date()
        let worker = try BackgroundProcess.mailroom(
            rig.home.arguments(
                ["run", "--api-url", "http://127.0.0.1:\(port)", "--concurrency", "4", "--metrics-listen", "127.0.0.1:0"] + Self.fastRetry))
        rig.adopt(worker)

        // Down: nothing listens. The integration becomes unavailable and its jobs wait, held.
        #expect(eventually { rig.jobFiles(in: "paused").count == ids.count }, "not every job waits: \(rig.names(in: "paused"))")
        let status = try rig.mailroom(["status", "--json"]).stdout
        #expect(status.contains("\"unavailable\""), "status does not show the outage: \(status)")
        let readiness = try Self.get(worker: worker, path: "/readyz")
        #expect(readiness.status == 503 && readiness.body.contains("unavailable"), "\(readiness)")
        Thread.sleep(forTimeInterval: 1.5)  // many retry intervals, several probes

        // Up, but answering 503 to everything.
        let endpoint = try SandboxProcess(listen: "127.0.0.1:\(port)")
        defer { rig.keep(endpoint.output, context: "the endpoint") }
        try endpoint.setFaults(#"{"failure_rate": 1, "failure_status": 503}"#)
        #expect(eventually { ((try? endpoint.stats()["total"] as? Int) ?? 0) >= 2 }, "no probe reached the endpoint")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(rig.jobFiles(in: "failed").isEmpty, "the outage failed jobs: \(rig.jobFiles(in: "failed"))")
        let probes = (try endpoint.stats()["total"] as? Int) ?? 0
        #expect(probes <= 6, "\(probes) requests reached an endpoint answering 503 to all: probes must go one at a time, with backoff")

        // Back: the next probe succeeds and everything goes.
        try endpoint.clearFaults()
        let down = Date().timeIntervalSince(downSince)
        #expect(
            eventually(timeout: .seconds(30)) { rig.jobFiles(in: "sent").count == ids.count },
            "sent \(rig.jobFiles(in: "sent").count) of \(ids.count)")
        let accepted = try endpoint.messages().compactMap { ($0["request"] as? [String: Any])?["custom_args"] as? [String: Any] }
        #expect(Set(accepted.compactMap { $0["mailroom_job"] as? String }) == Set(ids))
        #expect(rig.events("failed").isEmpty)
        for id in ids {
            #expect(rig.events("deferred", job: id).count <= 1, "\(id) spent \(rig.events("deferred", job: id).count) attempts in the outage")
            #expect(rig.events("sent", job: id).first?["attempt"] as? Int ?? 9 <= 2)
        }
        let waited = rig.events("held").compactMap { $0["error"] as? String }
        #expect(waited.contains { $0.contains("unavailable") && $0.contains("without spending attempts") }, "the log does not say why jobs wait")
        #expect(worker.stderr.contains("integration available again"), "\(worker.stderr.suffix(600))")
        #expect(try Self.get(worker: worker, path: "/readyz").status == 200)
        let attempts = ids.map { rig.events("deferred", job: $0).count }
        OwnerFigures.add(
            "outage",
            [
                "jobs": ids.count, "failed": rig.jobFiles(in: "failed").count, "sent": rig.jobFiles(in: "sent").count,
                "requests_during_503": probes, "most_attempts_spent": attempts.max() ?? 0,
                "seconds_down_x10": Int(down * 10), "retry_intervals_down": Int(down / 0.2),
            ])
        let metrics = try Self.get(worker: worker, path: "/metrics").body
        #expect(metrics.contains("mailroom_outages_total"), "no outage counted")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
        endpoint.stop()
    }

    /// One job failing again and again while its integration answers others is that job's problem: it spends its
    /// attempts and fails, as before.
    @Test func aJobThatFailsAloneStillSpendsItsAttempts() throws {
        let rig = try Rig()
        defer { rig.finish() }
        let badKey = TestKeys.make()
        let bad = try rig.addConfig(key: badKey, fromEmail: "bad@mailroom.example")
        let good = try rig.addConfig(key: TestKeys.make(), fromEmail: "good@mailroom.example")
        try rig.sandbox.setFaults(#"{"failure_rate": 1, "failure_status": 500, "key_fingerprint": "\#(Fingerprint.of(badKey))"}"#)
        let job = try GoodJobs.all[0]
        func naming(_ integration: Int) throws -> Data {
            var object = try JSONSerialization.jsonObject(with: job) as? [String: Any] ?? [:]
            object["integration"] = integration
            return try JSONSerialization.data(withJSONObject: object)
        }
        try rig.publish(try naming(bad), name: "alone.json")
        for index in 0..<4 { try rig.publish(try naming(good), name: "fine-\(index).json") }
        let run = try rig.run(["--drain", "--concurrency", "1"] + Self.fastRetry)
        #expect(run.status == 0)
        #expect(rig.jobFiles(in: "sent").count == 4)
        #expect(rig.jobFiles(in: "failed") == ["alone.json"])
        #expect((rig.reason("alone")?["reason"] as? String)?.contains("gave up after 2 attempts") == true, "\(rig.reason("alone") ?? [:])")
    }

    /// A port nothing listens on (bound, then released).
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RigFailure("bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET on the worker's metrics listener, with curl.
    static func get(worker: BackgroundProcess, path: String) throws -> (status: Int, body: String) {
        guard worker.waitForOutput(timeout: .seconds(10), { $0.contains("metrics listening") }),
            let line = worker.stderr.split(separator: "\n").first(where: { $0.contains("metrics listening") }),
            let port = Int(line.split(separator: ":").last ?? "")
        else { throw RigFailure("no metrics address in \(worker.stderr.suffix(400))") }
        let result = try ProcessRunner.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}
