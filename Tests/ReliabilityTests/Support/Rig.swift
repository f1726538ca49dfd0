import Foundation
import Glibc
import TestSupport
import Testing

/// One reliability scenario: a temporary home, a running sandbox, and every byte the processes of the
/// scenario printed, kept for the secrets scan that ends each test (`finish()`).
final class Rig: @unchecked Sendable {
    let home: TemporaryHome
    let sandbox: SandboxProcess
    /// The sandbox's message store, inside the home so that the secrets scan reads it too (nil: kept in memory).
    let store: String?

    private let lock = NSLock()
    private var printed: [(context: String, text: String)] = []
    private var background: [BackgroundProcess] = []

    private let ownsSandbox: Bool

    /// A fresh home and a sandbox started with `sandboxArguments` (`keepStore`: it stores messages in the home).
    init(sandboxArguments: [String] = [], keepStore: Bool = false, function: String = #function) throws {
        home = TemporaryHome(function: function)
        store = keepStore ? home.path + "/sandbox-store" : nil
        sandbox = try SandboxProcess(sandboxArguments + (store.map { ["--store", $0] } ?? []))
        ownsSandbox = true
    }

    /// A fresh home sending to another rig's sandbox (which that rig stops).
    init(sharing other: Rig, function: String = #function) {
        home = TemporaryHome(function: function)
        store = nil
        sandbox = other.sandbox
        ownsSandbox = false
    }

    var spool: String { home.spool }

    // MARK: Running mailroom

    /// `mailroom ARGS --home HOME` to completion; its output is kept for the secrets scan.
    @discardableResult
    func mailroom(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], timeout: Duration = .seconds(120),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try MailroomBinary.run(
            home.arguments(arguments), stdin: stdin, environment: environment, timeout: timeout, sourceLocation: sourceLocation)
        keep(result.output, context: "mailroom " + arguments.joined(separator: " "))
        return result
    }

    /// `mailroom run --api-url SANDBOX ARGS` to completion.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) throws -> ProcessResult {
        try mailroom(["run", "--api-url", sandbox.baseURL] + arguments, environment: environment, timeout: timeout)
    }

    /// `mailroom run --api-url SANDBOX ARGS` in the background; its output is scanned by `finish()`.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        let process = try BackgroundProcess.mailroom(
            home.arguments(["run", "--api-url", sandbox.baseURL] + arguments), environment: environment)
        lock.withLock { background.append(process) }
        return process
    }

    /// Any other long-running `mailroom` command (`serve`), scanned by `finish()`.
    func startCommand(_ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        let process = try BackgroundProcess.mailroom(home.arguments(arguments), environment: environment)
        lock.withLock { background.append(process) }
        return process
    }

    /// `mailroom run --api-url SANDBOX ARGS` in the background without the root privilege of ignoring file
    /// permissions (see `Unprivileged`); its output is scanned by `finish()`.
    func startUnprivileged(_ arguments: [String]) throws -> BackgroundProcess {
        let process = try Unprivileged.start(home.arguments(["run", "--api-url", sandbox.baseURL] + arguments))
        lock.withLock { background.append(process) }
        return process
    }

    /// Adds a background process started elsewhere, so `finish()` stops it and scans its output.
    func adopt(_ process: BackgroundProcess) {
        lock.withLock { background.append(process) }
    }

    /// Keeps `text` (something a process printed or a server answered) for the secrets scan.
    func keep(_ text: String, context: String) {
        lock.withLock { printed.append((context, text)) }
    }

    // MARK: Configs and jobs

    /// Registers a stage config whose key is `key` (a literal, or an `env:`/`file:` reference) and returns its id.
    @discardableResult
    func addConfig(key: String, environment: String = "stage", fromEmail: String = "s@mailroom.example") throws -> Int {
        let result = try mailroom(["integrations", "add", "-"], stdin: Self.createRequest(key: key, environment: environment, fromEmail: fromEmail))
        guard result.status == 0, let id = try Fixtures.object(result.stdout)["id"] as? Int else {
            throw RigFailure("integrations add failed (\(result.status)): \(result.stderr)")
        }
        return id
    }

    /// An `/integrations` create request for a config with `key`.
    static func createRequest(key: String, environment: String = "stage", fromEmail: String = "s@mailroom.example") -> Data {
        Data(
            """
            {"integration": 4, "data": {"environment": "\(environment)", "api_key": "\(key)", \
            "from_email": "\(fromEmail)", "from_name": "Reliability"}}
            """.utf8)
    }

    /// Publishes a job the way an application does: write it in tmp/, rename it into new/. With `durable`,
    /// the file is fsynced first (tests that kill only processes, never the machine, can skip that).
    func publish(_ data: Data, name: String, durable: Bool = false) throws {
        for folder in ["tmp", "new"] { try FileManager.default.createDirectory(atPath: spool + "/" + folder, withIntermediateDirectories: true) }
        let temporary = spool + "/tmp/" + name
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RigFailure("cannot create \(temporary): errno \(errno)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if durable { fsync(fd) }
        close(fd)
        guard written == data.count, rename(temporary, spool + "/new/" + name) == 0 else { throw RigFailure("cannot publish \(name)") }
    }

    /// Publishes `count` good jobs cycling through `fixtures/jobs/`, with ids `PREFIX-00001`…; returns the ids.
    @discardableResult
    func publishJobs(count: Int, prefix: String = "job") throws -> [String] {
        let fixtures = try GoodJobs.all
        var ids: [String] = []
        ids.reserveCapacity(count)
        for index in 0..<count {
            let id = "\(prefix)-\(String(format: "%05d", index + 1))"
            try publish(fixtures[index % fixtures.count], name: id + ".json")
            ids.append(id)
        }
        return ids
    }

    // MARK: Reading what happened

    /// Every delivery-log line, parsed (lines that do not parse are returned as `["unparsable": line]`).
    func logEvents() -> [[String: Any]] {
        guard let text = home.read("log/delivery.jsonl") else { return [] }
        return text.split(separator: "\n").map { line in
            ((try? Fixtures.object(String(line))).flatMap { $0.isEmpty ? nil : $0 }) ?? ["unparsable": String(line)]
        }
    }

    func events(_ kind: String? = nil, job: String? = nil) -> [[String: Any]] {
        logEvents().filter { (kind == nil || $0["event"] as? String == kind) && (job == nil || $0["job"] as? String == job) }
    }

    /// `failed/ID.reason.json`, parsed, or nil.
    func reason(_ id: String) -> [String: Any]? {
        home.read("spool/failed/\(id).reason.json").flatMap { try? Fixtures.object($0) }
    }

    /// Names in a spool folder (`new`, `failed`, `deferred`, …), or every name under `active/*/` for "active".
    func names(in folder: String) -> [String] {
        let path = spool + "/" + folder
        if folder == "active" || folder == "paused" {
            return subfolders(of: path).flatMap { sub in (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + sub)) ?? [] }
        }
        return (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// Job files (`ID.json`, not reason files or hidden entries) in a spool folder.
    func jobFiles(in folder: String) -> [String] {
        names(in: folder).filter { $0.hasSuffix(".json") && !$0.hasSuffix(".reason.json") && !$0.hasPrefix(".") }
    }

    private func subfolders(of path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    /// `mailroom status --json` counts.
    func counts() throws -> [String: Int] {
        let result = try mailroom(["status", "--json"])
        guard result.status == 0 else { throw RigFailure("status failed: \(result.stderr)") }
        return (try Fixtures.object(result.stdout)["counts"] as? [String: Int]) ?? [:]
    }

    /// The `mailroom_job` of every message the sandbox accepted, in order (repeats are re-sends).
    func acceptedJobIDs() throws -> [String] {
        try sandbox.messages().compactMap { record in
            ((record["request"] as? [String: Any])?["custom_args"] as? [String: Any])?["mailroom_job"] as? String
        }
    }

    // MARK: The secrets scan

    /// Stops every background process and the sandbox, then scans every byte the scenario produced for every
    /// registered key: all process output, the delivery log, every spool file, the sandbox store, and the
    /// registry too unless `registryMayHoldKey` (a literal key lives there and only there).
    func finish(registryMayHoldKey: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let processes = lock.withLock { background }
        for process in processes where process.isRunning {
            process.signal(SIGKILL)
            process.wait(timeout: .seconds(10))
        }
        var texts = lock.withLock { printed }
        if ownsSandbox {
            sandbox.stop(sourceLocation: sourceLocation)
            texts.append(("mailroom sandbox", sandbox.output))
        }
        for process in processes {
            texts.append(("mailroom " + (process.process.arguments ?? []).joined(separator: " "), process.stdout + process.stderr))
        }
        SecretLedger.scan(texts: texts, folder: home.path, except: registryMayHoldKey ? [home.registry] : [], sourceLocation: sourceLocation)
    }
}

/// Counts what the secrets scans read, for the soak figures.
enum SecretLedger {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bytes = 0
    nonisolated(unsafe) private static var files = 0
    nonisolated(unsafe) private static var scans = 0

    static var scanned: (bytes: Int, files: Int) { lock.withLock { (bytes, files) } }

    /// Scans `texts` and every regular file under `folder` (but `except`) for every registered key.
    static func scan(texts: [(context: String, text: String)], folder: String, except: Set<String>, sourceLocation: SourceLocation) {
        var total = 0
        var count = 0
        for (context, text) in texts {
            SecretScanner.expectClean(text, context: context, sourceLocation: sourceLocation)
            total += text.utf8.count
        }
        if let walker = FileManager.default.enumerator(atPath: folder) {
            for case let relative as String in walker {
                let path = folder + "/" + relative
                guard !except.contains(path), isRegularFile(path), let data = FileManager.default.contents(atPath: path) else { continue }
                SecretScanner.expectClean(String(decoding: data, as: UTF8.self), context: path, sourceLocation: sourceLocation)
                total += data.count
                count += 1
            }
        }
        let totals: (bytes: Int, files: Int, scans: Int) = lock.withLock {
            bytes += total
            files += count
            scans += 1
            return (bytes, files, scans)
        }
        Soak.report("secrets", ["bytes_scanned": totals.bytes, "files_scanned": totals.files, "scans": totals.scans])
    }

    /// Regular files only: a FIFO or a device left by a hostile-input test must not block the scan.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}

/// The four good fixture jobs, read once.
enum GoodJobs {
    static var all: [Data] {
        get throws {
            try ["booking-confirmed", "password-reset", "template-welcome", "with-attachment"].map { name in
                try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jobs/\(name).json")))
            }
        }
    }
}

struct RigFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
