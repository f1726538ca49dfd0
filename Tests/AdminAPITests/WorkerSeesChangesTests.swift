import Foundation
import TestSupport
import Testing

/// Issue 6: a worker running beside `mailroom serve` sees each change made over HTTP without a restart.
@Suite struct WorkerSeesChangesTests {
    @Test func workerPicksUpConfigsCreatedAndChangedOverHTTP() async throws {
        let sandbox = try SandboxProcess()
        defer { _ = sandbox.stop() }
        let server = try ServerProcess()
        let worker = try BackgroundProcess.mailroom(server.home.arguments(["run", "--api-url", sandbox.baseURL]))
        defer {
            worker.signal(SIGTERM)
            _ = worker.wait()
            SecretScanner.expectClean(worker.stdout + worker.stderr, context: "mailroom run beside mailroom serve")
        }
        #expect(try await until { worker.stdout.contains("worker started") || worker.stderr.contains("worker started") })

        // The registry is empty when the worker starts; the config arrives over HTTP.
        let client = HTTPClient(server)
        let created = try await client.send(
            "POST", "/integrations", body: Bodies.create(key: TestKeys.make(), data: ["from_email": "first@example.com"]))
        #expect(created.status == 201)
        try publish(try Fixtures.text("jobs/password-reset.json"), id: "http-1", home: server.home)
        #expect(try await until { try senders(sandbox) == ["first@example.com"] }, "\(worker.stderr.suffix(600))")

        // A change to the sender over HTTP reaches the next send.
        let patched = try await client.send("PATCH", "/integrations/1", body: Bodies.json(["data": ["from_email": "second@example.com"]]))
        #expect(patched.status == 200)
        try publish(try Fixtures.text("jobs/password-reset.json"), id: "http-2", home: server.home)
        #expect(try await until { try senders(sandbox).sorted() == ["first@example.com", "second@example.com"] }, "\(worker.stderr.suffix(600))")
        SecretScanner.expectClean(server.printed, context: "mailroom serve")
    }

    /// The `from.email` of every message the sandbox accepted.
    private func senders(_ sandbox: SandboxProcess) throws -> [String] {
        try sandbox.messages().compactMap { (($0["request"] as? [String: Any])?["from"] as? [String: Any])?["email"] as? String }
    }

    /// Publishes a job as an application does: written in `tmp/`, then renamed into `new/`.
    private func publish(_ json: String, id: String, home: TemporaryHome) throws {
        let tmp = home.spool + "/tmp/\(id).json"
        try FileManager.default.createDirectory(atPath: home.spool + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home.spool + "/new", withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: tmp))
        #expect(rename(tmp, home.spool + "/new/\(id).json") == 0)
    }

    /// Polls `condition` without blocking the test's thread, for up to `timeout`.
    private func until(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }
}
