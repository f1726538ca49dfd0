import Foundation
import TestSupport
import Testing

/// `examples/publish-job.sh` and `examples/publish_job.py` publish jobs the worker sees as ready, leave nothing
/// behind in `tmp/`, and are safe to retry.
@Suite struct PublishExampleTests {
    static let shell = Repository.path("examples/publish-job.sh")
    static let python = Repository.path("examples/publish_job.py")

    func runShell(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(try #require(HostTools.sh, "no sh"), [Self.shell] + arguments, stdin: stdin)
    }

    func runPython(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(try #require(HostTools.python3, "no python3"), [Self.python] + arguments, stdin: stdin)
    }

    /// A home whose spool exists, as it does once any mailroom command ran.
    func homeWithSpool() throws -> TemporaryHome {
        let home = TemporaryHome()
        try home.mailroom(["status"])
        return home
    }

    @Test(.enabled(if: HostTools.python3 != nil, "python3 is not installed"))
    func bothExamplesPublishJobsThatListAsReady() throws {
        let home = try homeWithSpool()
        let shell = try runShell([home.spool, Fixtures.path("jobs/booking-confirmed.json"), "order-991"])
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(shell.stdout == "order-991\n")
        let welcome = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jobs/template-welcome.json")))
        let python = try runPython([home.spool, "-", "--id", "signup-42"], stdin: welcome)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == "signup-42\n")
        let generated = try runShell([home.spool], stdin: Data(try Fixtures.text("jobs/password-reset.json").utf8))
        #expect(generated.status == 0, "\(generated.stderr)")
        let generatedID = generated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let listed = jsonLines(try home.mailroom(["list", "--json"]).stdout)
        let byID = Dictionary(listed.compactMap { line in (line["id"] as? String).map { ($0, line) } }) { first, _ in first }
        #expect(Set(byID.keys) == ["order-991", "signup-42", generatedID])
        for (id, recipients) in [("order-991", 1), ("signup-42", 2), (generatedID, 1)] {
            #expect(byID[id]?["state"] as? String == "ready", "\(id): \(byID[id] ?? [:])")
            #expect(byID[id]?["recipients"] as? Int == recipients, "\(id): \(byID[id] ?? [:])")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.spool + "/tmp").isEmpty)
        let published = try Data(contentsOf: URL(fileURLWithPath: home.spool + "/new/order-991.json"))
        #expect(published == (try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jobs/booking-confirmed.json")))))
    }

    @Test(.enabled(if: HostTools.python3 != nil, "python3 is not installed"))
    func publishingTheSameIDAgainWritesNothing() throws {
        let home = try homeWithSpool()
        let job = Fixtures.path("jobs/password-reset.json")
        #expect(try runShell([home.spool, job, "reset-1"]).status == 0)
        let again = try runShell([home.spool, Fixtures.path("jobs/booking-confirmed.json"), "reset-1"])
        #expect(again.status == 0 && again.stdout == "reset-1\n", "\(again.stderr)")
        let python = try runPython([home.spool, Fixtures.path("jobs/booking-confirmed.json"), "--id", "reset-1"])
        #expect(python.status == 0 && python.stdout == "reset-1\n", "\(python.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.spool + "/new") == ["reset-1.json"])
        let kept = try Data(contentsOf: URL(fileURLWithPath: home.spool + "/new/reset-1.json"))
        #expect(kept == (try Data(contentsOf: URL(fileURLWithPath: job))))
    }

    @Test(.enabled(if: HostTools.python3 != nil, "python3 is not installed"))
    func bothExamplesRefuseAFolderThatIsNotASpoolAndABadID() throws {
        let home = TemporaryHome()
        let job = Fixtures.path("jobs/password-reset.json")
        #expect(try runShell([home.path + "/nowhere", job]).status == 66)
        #expect(try runPython([home.path + "/nowhere", job]).status == 66)
        let spooled = try homeWithSpool()
        #expect(try runShell([spooled.spool, job, "../escape"]).status == 65)
        #expect(try runPython([spooled.spool, job, "--id", "../escape"]).status == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spooled.spool + "/new").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: spooled.path + "/escape.json"))
    }

    @Test(.enabled(if: HostTools.hasJSONSchema, "python3 with jsonschema 4 or newer is needed (make deps installs it)"))
    func pythonExampleChecksTheSchemaBeforeWriting() throws {
        let home = try homeWithSpool()
        let schema = Repository.path("fixtures/schemas/job.schema.json")
        let refused = try runPython([home.spool, Fixtures.path("bad-jobs/reserved-header-bcc.json"), "--schema", schema])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("headers"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.spool + "/new").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.spool + "/tmp").isEmpty)
        let accepted = try runPython([home.spool, Fixtures.path("jobs/with-attachment.json"), "--schema", schema, "--id", "invoice-2026-11"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.spool + "/new/invoice-2026-11.json"))
    }
}
