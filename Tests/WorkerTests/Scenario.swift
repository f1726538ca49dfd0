import Foundation
import MailroomCore
import TestSupport
import Testing

/// A temporary home, a running sandbox, and helpers to register configs, publish jobs and run the worker.
final class Scenario: @unchecked Sendable {
    let home = TemporaryHome()
    let sandbox: SandboxProcess

    init(sandboxArguments: [String] = []) throws {
        sandbox = try SandboxProcess(sandboxArguments)
    }

    /// Registers a SendGrid config through the CLI and returns its id.
    @discardableResult
    func addConfig(environment: String, key: String, fromEmail: String, fromName: String) throws -> Int {
        let body = """
            {"integration": 4, "data": {"environment": "\(environment)", "api_key": "\(key)", \
            "from_email": "\(fromEmail)", "from_name": "\(fromName)"}}
            """
        let result = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: Data(body.utf8))
        #expect(result.status == 0, "integrations add failed: \(result.stderr)")
        return try #require(Fixtures.object(result.stdout)["id"] as? Int)
    }

    /// Changes a config's key with `changeKeys: true`.
    func changeKey(_ id: Int, to key: String) throws {
        let body = #"{"data": {"changeKeys": true, "api_key": "\#(key)"}}"#
        let result = try MailroomBinary.run(home.arguments(["integrations", "update", String(id), "-"]), stdin: Data(body.utf8))
        #expect(result.status == 0, "integrations update failed: \(result.stderr)")
    }

    /// Publishes a job the way an application does: write in tmp/, fsync, rename into new/.
    func publish(_ json: String, id: String) throws {
        let tmp = home.spool + "/tmp/\(id).json"
        let new = home.spool + "/new/\(id).json"
        try FileManager.default.createDirectory(atPath: home.spool + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home.spool + "/new", withIntermediateDirectories: true)
        let handle = try #require(
            FileHandle(forWritingAtPath: tmp)
                ?? {
                    FileManager.default.createFile(atPath: tmp, contents: nil)
                    return FileHandle(forWritingAtPath: tmp)
                }())
        try handle.write(contentsOf: Data(json.utf8))
        try handle.synchronize()
        try handle.close()
        #expect(rename(tmp, new) == 0)
    }

    /// Publishes `count` jobs cycling through the fixture jobs, with ids `PREFIX-0001`…; returns the ids.
    @discardableResult
    func publishFixtureJobs(count: Int, prefix: String = "job", integration: Int? = nil) throws -> [String] {
        let fixtures = try ["booking-confirmed", "password-reset", "template-welcome", "with-attachment"].map {
            try Fixtures.text("jobs/\($0).json")
        }
        var ids: [String] = []
        for index in 0..<count {
            let id = "\(prefix)-\(String(format: "%05d", index + 1))"
            var json = fixtures[index % fixtures.count]
            if let integration {
                var object = try Fixtures.object(json)
                object["integration"] = integration
                json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }
            try publish(json, id: id)
            ids.append(id)
        }
        return ids
    }

    /// `mailroom run ARGS` against the sandbox, to completion.
    @discardableResult
    func runWorker(_ arguments: [String], timeout: Duration = .seconds(120)) throws -> ProcessResult {
        try MailroomBinary.run(home.arguments(["run", "--api-url", sandbox.baseURL] + arguments), timeout: timeout)
    }

    /// `mailroom run ARGS` against the sandbox, in the background.
    func startWorker(_ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess.mailroom(home.arguments(["run", "--api-url", sandbox.baseURL] + arguments))
    }

    /// `mailroom status --json`, parsed.
    func status() throws -> [String: Any] {
        let result = try MailroomBinary.run(home.arguments(["status", "--json"]))
        #expect(result.status == 0, "status failed: \(result.stderr)")
        return try Fixtures.object(result.stdout)
    }

    /// Count of jobs in `state` according to `status --json`.
    func count(_ state: String) throws -> Int {
        let status = try self.status()
        let counts = (status["counts"] as? [String: Any]) ?? status
        return counts[state] as? Int ?? 0
    }

    /// Every delivery-log line, parsed.
    func logEvents() -> [[String: Any]] {
        guard let text = home.read("log/delivery.jsonl") else { return [] }
        return text.split(separator: "\n").compactMap { try? Fixtures.object(String($0)) }
    }

    func events(_ kind: String, job: String? = nil) -> [[String: Any]] {
        logEvents().filter { $0["event"] as? String == kind && (job == nil || $0["job"] as? String == job) }
    }

    /// Messages the sandbox accepted, as (job id, record).
    func acceptedJobIDs() throws -> [String] {
        try sandbox.messages().compactMap { record in
            let request = record["request"] as? [String: Any]
            let args = request?["custom_args"] as? [String: Any]
            return args?["mailroom_job"] as? String
        }
    }

    /// Scans every file the run left (spool, delivery log, sandbox store) and the registry-free folders for keys.
    func expectNoKeysOnDisk(sourceLocation: SourceLocation = #_sourceLocation) {
        SecretScanner.expectCleanFiles(under: home.path, except: [home.registry], sourceLocation: sourceLocation)
    }
}
