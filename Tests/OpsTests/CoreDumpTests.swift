import Foundation
import TestSupport
import Testing

/// `run` and `serve` hold keys and the admin token in memory: they make themselves non-dumpable, so no core
/// file is written and no other process of the same user may read their memory or environment.
///
/// Observed the way the kernel shows it: a non-dumpable process's `/proc/PID/environ` belongs to root instead of
/// the process's user. Running as root, the processes run as `nobody` through setpriv, so the owner can differ.
@Suite struct CoreDumpTests {
    static let nobody: uid_t = 65534

    /// `program ARGS` as an unprivileged user: ourselves, or `nobody` when the tests run as root.
    func startUnprivileged(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundProcess? {
        guard getuid() == 0 else { return try BackgroundProcess(program, arguments, environment: environment) }
        guard let setpriv = HostTools.find("setpriv") else { return nil }
        return try BackgroundProcess(
            setpriv, ["--reuid", "\(Self.nobody)", "--regid", "\(Self.nobody)", "--clear-groups", program] + arguments, environment: environment)
    }

    func environOwner(_ pid: Int32) -> uid_t? {
        var info = stat()
        return stat("/proc/\(pid)/environ", &info) == 0 ? info.st_uid : nil
    }

    @Test(.enabled(if: getuid() != 0 || HostTools.find("setpriv") != nil, "running as root without setpriv(1): cannot run as another user"))
    func runAndServeMakeThemselvesNonDumpable() throws {
        let user = getuid() == 0 ? Self.nobody : getuid()
        // The control: an ordinary process of that user owns its /proc files, so the check below can fail.
        let control = try #require(try startUnprivileged("/bin/sleep", ["30"]))
        defer { control.signal(SIGKILL) }
        #expect(eventually { environOwner(control.pid) == user }, "a dumpable process's environ belongs to its user")

        let home = TemporaryHome()
        #expect(chmod(home.path, 0o777) == 0)
        let worker = try #require(try startUnprivileged(MailroomBinary.path, ["run", "--home", home.path, "--api-url", "http://127.0.0.1:9"]))
        defer { worker.signal(SIGKILL) }
        #expect(worker.waitForOutput { $0.contains("worker started") }, "\(worker.stderr)")
        #expect(
            environOwner(worker.pid) == 0,
            "mailroom run is dumpable: /proc/\(worker.pid)/environ belongs to \(String(describing: environOwner(worker.pid)))")

        let server = try #require(
            try startUnprivileged(
                MailroomBinary.path, ["serve", "--home", home.path, "--listen", "127.0.0.1:0"],
                environment: ["MAILROOM_ADMIN_TOKEN": "admin-\(UUID().uuidString)"]))
        defer { server.signal(SIGKILL) }
        #expect(server.waitForOutput { $0.contains("listening on") }, "\(server.stderr)")
        #expect(environOwner(server.pid) == 0, "mailroom serve is dumpable")
    }
}
