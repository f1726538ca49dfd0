import Foundation
import TestSupport
import Testing

/// The key rotations the operator's guide describes, against a running daemon: a refused key holds the job and
/// pauses the integration; `changeKeys` (or a new key in a `file:` reference plus SIGHUP) sends it, no restart.
@Suite struct KeyRotationTests {
    /// A home with one stage config whose key is `apiKey`, a sandbox that accepts only `accepted`, and a daemon.
    final class Setup: @unchecked Sendable {
        let home = TemporaryHome()
        let sandbox: SandboxProcess
        let worker: BackgroundProcess

        init(apiKey: String, accepted: String) throws {
            sandbox = try SandboxProcess(["--key", accepted])
            let request = #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(apiKey)", "from_email": "ops@example.com"}}"#
            try home.mailroom(["integrations", "add", "-"], stdin: Data(request.utf8))
            worker = try BackgroundProcess.mailroom(home.arguments(["run", "--api-url", sandbox.baseURL, "--grace", "2s"]))
        }

        func events(_ job: String) -> [String] {
            home.deliveryEvents().filter { $0["job"] as? String == job }.compactMap { $0["event"] as? String }
        }

        func health() throws -> String? {
            let status = try home.mailroom(["status", "--json"]).stdout
            let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
            return (object?["integrations"] as? [[String: Any]])?.first?["health"] as? String
        }

        func stop() {
            worker.signal(SIGTERM)
            #expect(worker.wait(timeout: .seconds(30)) == 0, "\(worker.stderr)")
            SecretScanner.expectClean(worker.stdout + worker.stderr, context: "mailroom run")
            SecretScanner.expectCleanFiles(under: home.path + "/log")
            sandbox.stop()
        }
    }

    @Test func aRefusedKeyHoldsTheJobUntilChangeKeysReplacesIt() throws {
        let (old, new) = (TestKeys.make(), TestKeys.make())
        let setup = try Setup(apiKey: old, accepted: new)
        defer { setup.worker.signal(SIGKILL) }
        try setup.home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "reset-1"])
        #expect(eventually { setup.events("reset-1") == ["held"] }, "\(setup.home.deliveryEvents())")
        #expect(try setup.health() == "key_refused")

        let update = #"{"data": {"changeKeys": true, "api_key": "\#(new)"}}"#
        try setup.home.mailroom(["integrations", "update", "1", "-"], stdin: Data(update.utf8))
        #expect(eventually { setup.events("reset-1") == ["held", "requeued", "sent"] }, "\(setup.home.deliveryEvents())")
        #expect(try setup.sandbox.messages().count == 1)
        // Workers share health through spool/health.json, flushed on their 2-second rescans.
        let recovered = try eventually(timeout: .seconds(3), interval: .milliseconds(200)) { try setup.health() == "ok" }
        #expect(recovered, "mailroom status still reports the integration paused")
        setup.stop()
    }

    @Test func aNewKeyInAFileReferenceTakesEffectOnSIGHUP() throws {
        let (old, new) = (TestKeys.make(), TestKeys.make())
        let keyFile = TemporaryHome()
        let path = try keyFile.write("sendgrid.key", old + "\n")
        let setup = try Setup(apiKey: "file:" + path, accepted: new)
        defer { setup.worker.signal(SIGKILL) }
        try setup.home.mailroom(["enqueue", Fixtures.path("jobs/password-reset.json"), "--id", "reset-2"])
        #expect(eventually { setup.events("reset-2") == ["held"] }, "\(setup.home.deliveryEvents())")

        try keyFile.write("sendgrid.key.new", new + "\n")
        #expect(rename(path + ".new", path) == 0)
        setup.worker.signal(SIGHUP)
        #expect(eventually { setup.events("reset-2") == ["held", "requeued", "sent"] }, "\(setup.home.deliveryEvents())")
        let list = try setup.home.mailroom(["integrations", "list"]).stdout
        #expect(list.contains("file:" + path), "a reference is shown as itself: \(list)")
        setup.stop()
    }
}
