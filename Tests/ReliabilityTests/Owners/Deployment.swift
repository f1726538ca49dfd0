import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// A Mailroom home set up as docs/operators-guide.md tells an operator to: owned by the worker's user, the
/// spool passable (`g+x`) and its `tmp/` and `new/` open (`2770`) to the worker's group, of which the
/// application's user is a member. Every command runs as one of the two users with no capabilities at all.
final class Deployment: @unchecked Sendable {
    let rig: Rig
    let accounts: Accounts

    init(function: String = #function) throws {
        accounts = try Accounts.prepared.get()
        rig = try Rig(function: function)
        let worker = accounts.worker
        guard chown(rig.home.path, worker.uid, worker.gid) == 0, chmod(rig.home.path, 0o710) == 0 else {
            throw RigFailure("cannot hand \(rig.home.path) to \(worker.name): errno \(errno)")
        }
        // The worker's user makes the layout, then the operator opens what applications need.
        let made = try asWorker(["status"])
        guard made.status == 0 else { throw RigFailure("status as \(worker.name) failed: \(made.stderr)") }
        OwnerFigures.add("owners", ["deployments": 1])
        let spool = rig.spool
        guard chmod(spool, 0o710) == 0, chmod(spool + "/tmp", 0o2770) == 0, chmod(spool + "/new", 0o2770) == 0 else {
            throw RigFailure("cannot open the spool to the group: errno \(errno)")
        }
    }

    var spool: String { rig.spool }

    /// `mailroom ARGS --home HOME` as the worker's user.
    @discardableResult
    func asWorker(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try run(as: accounts.worker, [accounts.binary] + rig.home.arguments(arguments), stdin: stdin)
    }

    /// `mailroom ARGS --home HOME` as the application's user.
    @discardableResult
    func asApp(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try run(as: accounts.app, [accounts.binary] + rig.home.arguments(arguments), stdin: stdin)
    }

    /// Publishes by hand as the application does: `examples/publish-job.sh` run as its user.
    func publishDirect(_ job: Data, id: String) throws {
        let result = try run(as: accounts.app, ["/bin/sh", accounts.publishScript, spool, "-", id], stdin: job)
        guard result.status == 0 else { throw RigFailure("publish-job.sh as the application failed (\(result.status)): \(result.stderr)") }
    }

    /// Enqueues as the application's user; returns the ID printed.
    @discardableResult
    func enqueue(_ job: Data, id: String) throws -> ProcessResult {
        let result = try asApp(["enqueue", "-", "--id", id], stdin: job)
        guard result.status == 0 else { throw RigFailure("enqueue as the application failed (\(result.status)): \(result.stderr)") }
        return result
    }

    /// Registers a stage config as the worker's user; returns its id.
    @discardableResult
    func addConfig(key: String) throws -> Int {
        let result = try asWorker(["integrations", "add", "-"], stdin: Rig.createRequest(key: key))
        guard result.status == 0, let id = try Fixtures.object(result.stdout)["id"] as? Int else {
            throw RigFailure("integrations add as the worker failed (\(result.status)): \(result.stderr)")
        }
        return id
    }

    /// `mailroom run --api-url SANDBOX ARGS` as the worker's user, to completion.
    @discardableResult
    func runWorker(_ arguments: [String]) throws -> ProcessResult {
        try asWorker(["run", "--api-url", rig.sandbox.baseURL] + arguments)
    }

    /// `mailroom run --api-url SANDBOX ARGS` as the worker's user, in the background.
    func startWorker(_ arguments: [String]) throws -> BackgroundProcess {
        let (executable, arguments) = accounts.command(
            as: accounts.worker, [accounts.binary] + rig.home.arguments(["run", "--api-url", rig.sandbox.baseURL] + arguments))
        let process = try BackgroundProcess(executable, arguments)
        rig.adopt(process)
        return process
    }

    /// The owner of a spool file.
    func owner(_ relative: String) -> uid_t? {
        var info = stat()
        return lstat(spool + "/" + relative, &info) == 0 ? info.st_uid : nil
    }

    /// Stops everything and scans every byte the deployment produced for the key.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        rig.finish(sourceLocation: sourceLocation)
    }

    private func run(as user: Accounts.User, _ command: [String], stdin: Data?) throws -> ProcessResult {
        let (executable, arguments) = accounts.command(as: user, command)
        let result = try ProcessRunner.run(executable, arguments, stdin: stdin, timeout: .seconds(120))
        rig.keep(result.output, context: "as \(user.name): " + command.dropFirst().joined(separator: " "))
        return result
    }
}
