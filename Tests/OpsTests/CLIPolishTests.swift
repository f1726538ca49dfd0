import Foundation
import TestSupport
import Testing

/// What operators expect of any command-line tool: completions, `--version`, and JSON from every read command.
@Suite struct CLIPolishTests {
    static let subcommands = [
        "integrations", "enqueue", "run", "status", "list", "show", "retry", "hold", "release", "delete", "log", "serve", "sandbox",
    ]

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsCoverEverySubcommand(shell: String) throws {
        let result = try MailroomBinary.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.utf8.count > 1000)
        for subcommand in Self.subcommands {
            #expect(result.stdout.contains(subcommand), "the \(shell) completions do not mention \(subcommand)")
        }
        #expect(!result.stdout.contains("debug-spool"), "hidden commands are not offered")
    }

    @Test func completionOfNestedCommandsReachesTheIntegrationsSubcommands() throws {
        let bash = try MailroomBinary.run(["--generate-completion-script", "bash"]).stdout
        for subcommand in ["add", "list", "show", "update", "activate", "deactivate", "remove"] {
            #expect(bash.contains(subcommand), "\(subcommand)")
        }
    }

    @Test func versionPrintsASemanticVersion() throws {
        let result = try MailroomBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.wholeMatch(of: /\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n/) != nil, "\(result.stdout)")
        #expect(result.stderr.isEmpty)
        #expect(try MailroomBinary.run(["--help"]).stdout.contains("--version"))
    }

    /// status, list, show, log and `integrations list` take `--json`; `integrations show` always prints JSON.
    @Test func everyReadCommandPrintsJSON() throws {
        let home = TemporaryHome()
        try home.mailroom(["integrations", "add", Fixtures.path("integrations/create-request.json")])
        try home.mailroom(["enqueue", Fixtures.path("jobs/booking-confirmed.json"), "--id", "kept"])
        try home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "removed"])
        try home.mailroom(["delete", "removed"])

        let status = try JSONSerialization.jsonObject(with: Data(try home.mailroom(["status", "--json"]).stdout.utf8)) as? [String: Any]
        #expect((status?["counts"] as? [String: Any])?["ready"] as? Int == 1)
        #expect((status?["integrations"] as? [[String: Any]])?.first?["id"] as? Int == 1)

        let list = jsonLines(try home.mailroom(["list", "--json"]).stdout)
        #expect(list.map { $0["id"] as? String } == ["kept"])

        let show = try JSONSerialization.jsonObject(with: Data(try home.mailroom(["show", "kept", "--json"]).stdout.utf8)) as? [String: Any]
        #expect(show?["state"] as? String == "ready")
        #expect(show?["history"] is [Any])

        let log = jsonLines(try home.mailroom(["log", "--json"]).stdout)
        #expect(log.map { $0["event"] as? String } == ["deleted"])
        #expect(log.first?["job"] as? String == "removed")

        let configs =
            try JSONSerialization.jsonObject(with: Data(try home.mailroom(["integrations", "list", "--json"]).stdout.utf8)) as? [[String: Any]]
        #expect(configs?.first?["id"] as? Int == 1)
        let config = try JSONSerialization.jsonObject(with: Data(try home.mailroom(["integrations", "show", "1"]).stdout.utf8)) as? [String: Any]
        #expect(config?["status"] as? String == "active")

        for command in [["status"], ["list"], ["show"], ["log"], ["integrations", "list"]] {
            let help = try MailroomBinary.run(command + ["--help"]).stdout
            #expect(help.contains("--json"), "mailroom \(command.joined(separator: " ")) --help does not offer --json")
        }
    }
}
