import Foundation
import TestSupport
import Testing

/// `packaging/`: the systemd unit passes `systemd-analyze verify`, the unit, the sysusers entry and the logrotate
/// snippet agree with each other and with the binary, and the rotation they rely on (rename, then SIGHUP) works.
@Suite struct PackagingTests {
    static let unitPath = Repository.path("packaging/mailroom.service")

    /// `KEY=VALUE` lines of a unit file (repeated keys keep every value, in order).
    static func unitSettings() throws -> [String: [String]] {
        var settings: [String: [String]] = [:]
        for line in try Repository.text("packaging/mailroom.service").split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.hasPrefix("#"), !text.hasPrefix("["), let equals = text.firstIndex(of: "=") else { continue }
            settings[String(text[..<equals]), default: []].append(String(text[text.index(after: equals)...]))
        }
        return settings
    }

    /// Runs `systemd-analyze verify` on `unit` saved as `mailroom.service` with ExecStart pointing at the built
    /// binary (verify checks that it exists); returns the exit status and the lines about the unit.
    func verify(_ unit: String) throws -> (status: Int32, complaints: [String]) {
        let folder = TemporaryHome()
        let file = try folder.write("mailroom.service", unit.replacingOccurrences(of: "/usr/local/bin/mailroom", with: MailroomBinary.path))
        let result = try ProcessRunner.run(try #require(HostTools.systemdAnalyze), ["verify", file], timeout: .seconds(60))
        let complaints = result.output.split(separator: "\n").map(String.init).filter { $0.contains("mailroom.service") }
        return (result.status, complaints)
    }

    @Test(.enabled(if: HostTools.systemdAnalyze != nil, "systemd-analyze is not installed; the unit file is not verified"))
    func unitFilePassesSystemdAnalyzeVerify() throws {
        let (status, complaints) = try verify(try Repository.text("packaging/mailroom.service"))
        #expect(status == 0)
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
    }

    @Test(.enabled(if: HostTools.systemdAnalyze != nil, "systemd-analyze is not installed; the unit file is not verified"))
    func verifyWouldCatchAMisspelledSetting() throws {
        let unit = try Repository.text("packaging/mailroom.service").replacingOccurrences(of: "NoNewPrivileges=", with: "NoNewPriviledges=")
        let (_, complaints) = try verify(unit)
        #expect(complaints.contains { $0.contains("NoNewPriviledges") }, "\(complaints)")
    }

    @Test func unitRunsTheWorkerHardenedAsADedicatedUser() throws {
        let settings = try Self.unitSettings()
        #expect(settings["Type"] == ["simple"], "the worker does not speak sd_notify")
        #expect(settings["ExecStart"]?.first?.hasPrefix("/usr/local/bin/mailroom run") == true)
        #expect(settings["ExecReload"] == ["/bin/kill -HUP $MAINPID"])
        #expect(settings["KillSignal"] == ["SIGTERM"])
        #expect(settings["Restart"] == ["on-failure"])
        for hardening in ["NoNewPrivileges", "ProtectSystem", "PrivateTmp", "ProtectHome"] {
            #expect(settings[hardening] == [hardening == "ProtectSystem" ? "strict" : "yes"], "\(hardening)")
        }
        let user = try #require(settings["User"]?.first)
        #expect(user != "root")
        let sysusers = try Repository.text("packaging/sysusers.d/mailroom.conf")
        #expect(sysusers.split(separator: "\n").contains { $0.hasPrefix("u \(user) ") }, "sysusers.d does not create \(user)")

        let home = try #require(settings["Environment"]?.first { $0.hasPrefix("MAILROOM_HOME=") }).dropFirst("MAILROOM_HOME=".count)
        #expect(settings["ReadWritePaths"]?.contains(String(home)) == true, "the home \(home) must be writable")
        #expect(settings["StateDirectory"].map { "/var/lib/" + $0[0] } == String(home))
    }

    /// The worker holds API keys in memory: a core file would hold them too. The process also makes itself
    /// non-dumpable (`CoreDumpTests`); the unit forbids core files for every process it starts.
    @Test func unitForbidsCoreFiles() throws {
        #expect(try Self.unitSettings()["LimitCORE"] == ["0"])
    }

    @Test func unitWaitsLongerThanTheWorkersGracePeriod() throws {
        let help = try MailroomBinary.run(["run", "--help"]).stdout
        let grace = try #require(help.firstMatch(of: /--grace[\s\S]*?\(default: (\d+)s\)/)?.1).description
        let stop = try #require(try Self.unitSettings()["TimeoutStopSec"]?.first)
        #expect(try #require(Int(stop)) > (try #require(Int(grace))), "TimeoutStopSec=\(stop) must exceed --grace \(grace)s")
    }

    @Test func logrotateRotatesTheUnitsDeliveryLogAndReloadsTheUnit() throws {
        let settings = try Self.unitSettings()
        let home = try #require(settings["Environment"]?.first { $0.hasPrefix("MAILROOM_HOME=") }).dropFirst("MAILROOM_HOME=".count)
        let user = try #require(settings["User"]?.first)
        let snippet = try Repository.text("packaging/logrotate/mailroom")
        let lines = snippet.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
        #expect(lines.contains("\(home)/log/delivery.jsonl {"), "logrotate must rotate the default delivery log under \(home)")
        #expect(lines.contains("su \(user) \(user)"))
        #expect(lines.contains { $0.hasPrefix("create ") && $0.hasSuffix(" \(user) \(user)") })
        let postrotate = try #require(lines.firstIndex(of: "postrotate"))
        #expect(lines[postrotate + 1].hasPrefix("systemctl reload mailroom.service"), "postrotate must send SIGHUP through ExecReload")
        #expect(lines.contains("endscript"))
    }

    /// What logrotate relies on: after the log is renamed and the worker gets SIGHUP, new events go to a fresh file.
    @Test func aRenamedDeliveryLogIsReopenedOnSIGHUP() throws {
        let home = TemporaryHome()
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try home.mailroom(["integrations", "add", Fixtures.path("integrations/create-request.json")])
        let worker = try BackgroundProcess.mailroom(home.arguments(["run", "--api-url", sandbox.baseURL, "--grace", "2s"]))
        defer { worker.signal(SIGKILL) }
        let before = try home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "before-rotation"])
        #expect(before.stdout == "before-rotation\n")
        #expect(eventually { home.deliveryEvents().contains { $0["job"] as? String == "before-rotation" } }, "\(worker.stderr)")

        #expect(rename(home.deliveryLog, home.deliveryLog + ".1") == 0)
        worker.signal(SIGHUP)
        #expect(worker.waitForOutput { $0.contains("delivery log reopened") }, "\(worker.stderr)")
        try home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "after-rotation"])
        #expect(eventually { home.deliveryEvents().contains { $0["job"] as? String == "after-rotation" && $0["event"] as? String == "sent" } })

        let rotated = try String(contentsOfFile: home.deliveryLog + ".1", encoding: .utf8)
        #expect(rotated.contains("before-rotation") && !rotated.contains("after-rotation"))
        #expect(!home.deliveryEvents().contains { $0["job"] as? String == "before-rotation" })
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(30)) == 0, "\(worker.stderr)")
        SecretScanner.expectClean(worker.stdout + worker.stderr, context: "mailroom run")
    }
}
