import Foundation
import TestSupport
import Testing

/// Every exit status docs/operators-guide.md#exit-codes documents, produced through the binary by the failures the operator's guide lists
/// for it (docs/operators-guide.md, "Exit codes").
@Suite struct ExitCodeTests {
    /// Runs `mailroom ARGS --home HOME` and checks the status; a Mailroom failure is one `mailroom: ` line on stderr.
    func expect(
        _ status: Int32, _ arguments: [String], in home: TemporaryHome, stdin: Data? = nil, oneLine: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try MailroomBinary.run(home.arguments(arguments), stdin: stdin, sourceLocation: sourceLocation)
        let command = "mailroom " + arguments.joined(separator: " ")
        #expect(result.status == status, "\(command): exit \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty || status == 64, "\(command) printed on stdout: \(result.stdout)", sourceLocation: sourceLocation)
        if oneLine {
            let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("mailroom: warning:") }
            #expect(lines.count == 1 && lines[0].hasPrefix("mailroom: "), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func usageErrorsExit64() throws {
        let home = TemporaryHome()
        try expect(64, ["list", "--state", "stuck"], in: home, oneLine: false)
        try expect(64, ["delete", "--failed", "all"], in: home, oneLine: false)
        try expect(64, ["retry"], in: home, oneLine: false)
        try expect(64, ["run", "--once", "--environment", "qa"], in: home)
        try expect(64, ["log", "--since", "yesterday"], in: home, oneLine: false)
    }

    @Test func badInputExits65AndWritesNothing() throws {
        let home = TemporaryHome()
        try expect(65, ["enqueue", Fixtures.path("bad-jobs/missing-to.json")], in: home)
        try expect(65, ["enqueue", "-", "--id", "../escape"], in: home, stdin: Data(try Fixtures.text("jobs/password-reset.json").utf8))
        try expect(65, ["integrations", "add", "-"], in: home, stdin: Data(#"{"integration": 5, "data": {}}"#.utf8))
        try expect(65, ["show", "../escape"], in: home)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.spool + "/new").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test func actingOnAJobInTheWrongStateExits65() throws {
        let home = TemporaryHome()
        try home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "waiting"])
        try expect(65, ["release", "waiting"], in: home)
    }

    @Test func missingInputExits66() throws {
        let home = TemporaryHome()
        try expect(66, ["enqueue", home.path + "/no-such-job.json"], in: home)
        try expect(66, ["integrations", "add", home.path + "/no-such-request.json"], in: home)
        try expect(66, ["show", "no-such-job"], in: home)
        try expect(66, ["hold", "no-such-job"], in: home)
        try expect(66, ["integrations", "show", "99"], in: home)
    }

    /// docs/operators-guide.md#exit-codes: 69 is "service unavailable": a listener that cannot bind its address.
    @Test func aListenerThatCannotBindExits69() throws {
        let home = TemporaryHome()
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let taken = "127.0.0.1:\(sandbox.port)"
        let second = try MailroomBinary.run(["sandbox", "--listen", taken])
        let serve = try MailroomBinary.run(home.arguments(["serve", "--listen", taken]), environment: ["MAILROOM_ADMIN_TOKEN": "ops-test-token"])
        #expect(second.status != 0 && serve.status != 0)
        #expect(second.status == 69, "mailroom sandbox --listen \(taken): exit \(second.status): \(second.stderr)")
        #expect(serve.status == 69, "mailroom serve --listen \(taken): exit \(serve.status): \(serve.stderr)")
    }

    @Test func aFileWhereAFolderMustBeExits73() throws {
        let home = TemporaryHome()
        let blocker = try home.write("blocker", "not a folder")
        try expect(73, ["status", "--spool", blocker], in: home)
        try expect(73, ["enqueue", Fixtures.path("jobs/password-reset.json"), "--spool", blocker + "/spool"], in: home)
        try expect(73, ["run", "--once", "--log", blocker + "/delivery.jsonl"], in: home)
    }

    @Test func anUnreadableInputExits74() throws {
        let home = TemporaryHome()
        let folder = home.path + "/a-folder.json"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try expect(74, ["enqueue", folder], in: home)
        try expect(74, ["log", "--log", folder], in: home)
    }

    /// 75: the job is being sent right now; the same command works once the attempt ends.
    @Test func actingOnAJobBeingSentExits75() throws {
        let home = TemporaryHome()
        let sandbox = try SandboxProcess(["--stall", "1", "--stall-seconds", "20s"])
        defer { sandbox.stop() }
        try home.mailroom(["integrations", "add", Fixtures.path("integrations/create-request.json")])
        try home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "in-flight"])
        let worker = try BackgroundProcess.mailroom(home.arguments(["run", "--api-url", sandbox.baseURL, "--grace", "100ms"]))
        defer { worker.signal(SIGKILL) }
        #expect(try eventually { try MailroomBinary.run(home.arguments(["list", "--state", "active"])).stdout.contains("in-flight") })
        try expect(75, ["hold", "in-flight"], in: home)
        try expect(75, ["delete", "in-flight"], in: home)
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(30)) == 0, "\(worker.stderr)")
        try home.mailroom(["hold", "in-flight"])
    }

    @Test func configurationErrorsExit78() throws {
        let home = TemporaryHome()
        try home.write("registry.json", #"{"configs": ["#)
        chmod(home.registry, 0o600)
        try expect(78, ["integrations", "list"], in: home)
        try expect(78, ["run", "--once"], in: home)
        let serve = try MailroomBinary.run(home.arguments(["serve", "--listen", "127.0.0.1:0"]), environment: ["MAILROOM_ADMIN_TOKEN": ""])
        #expect(serve.status == 78, "\(serve.stderr)")
    }
}
