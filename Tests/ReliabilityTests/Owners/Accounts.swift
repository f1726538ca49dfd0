import Foundation
import Glibc
import TestSupport
import Testing

/// The two real users of a deployment where applications and the worker are different users
/// (docs/operators-guide.md, "Applications as other users"): the worker's, and an application's that is a
/// member of the worker's group. Made once per test run with `useradd`, and reused by later runs.
struct Accounts: Sendable {
    struct User: Sendable {
        var name: String
        var uid: uid_t
        var gid: gid_t
    }

    let worker: User
    let app: User
    /// A copy of the `mailroom` binary every user can run (the build folder may sit in a private home).
    let binary: String
    /// A copy of `examples/publish-job.sh`, which an application runs to publish by hand.
    let publishScript: String

    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let useradd = ["/usr/sbin/useradd", "/sbin/useradd"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The accounts, or why this machine cannot make them.
    static let prepared: Result<Accounts, AccountsUnavailable> = prepare()

    static var available: Bool { (try? prepared.get()) != nil }

    static var skipReason: Comment {
        switch prepared {
        case .success: "available"
        case .failure(let problem): "cannot run as two real users here: \(problem.reason); skipped"
        }
    }

    /// The argument list that runs `arguments` as `user`, with every capability dropped for good: a root that
    /// can override file permissions would hide exactly the problems these tests look for.
    func command(as user: User, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        let drop = [
            "--reuid=\(user.uid)", "--regid=\(user.gid)", "--init-groups", "--inh-caps=-all", "--ambient-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--",
        ]
        return (Self.setpriv ?? "/usr/bin/setpriv", drop + arguments)
    }

    private static func prepare() -> Result<Accounts, AccountsUnavailable> {
        guard getuid() == 0 else { return .failure(.init("the tests do not run as root, so they cannot create users")) }
        guard setpriv != nil else { return .failure(.init("setpriv(1) is missing (util-linux)")) }
        guard let useradd else { return .failure(.init("useradd(8) is missing (passwd)")) }
        do {
            let worker = try ensureUser("mailroom-it-worker", extraGroup: nil, useradd: useradd)
            let app = try ensureUser("mailroom-it-app", extraGroup: worker.name, useradd: useradd)
            removeStaleCopies()
            let folder = "/tmp/mailroom-it-bin-\(getpid())"
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let binary = folder + "/mailroom"
            try FileManager.default.copyItem(atPath: MailroomBinary.path, toPath: binary)
            let script = folder + "/publish-job.sh"
            try FileManager.default.copyItem(atPath: Fixtures.repositoryPath("examples/publish-job.sh"), toPath: script)
            for file in [binary, script] { chmod(file, 0o755) }
            return .success(Accounts(worker: worker, app: app, binary: binary, publishScript: script))
        } catch {
            return .failure(.init("\(error)"))
        }
    }

    /// Copies left by earlier test runs (a 70 MB binary each), once they are an hour old.
    private static func removeStaleCopies() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix("mailroom-it-bin-") {
            let path = "/tmp/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
            if Date().timeIntervalSince(modified) > 3600 { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private static func ensureUser(_ name: String, extraGroup: String?, useradd: String) throws -> User {
        if let found = lookUp(name) {
            if let extraGroup, !isMember(name, of: extraGroup) {
                _ = try ProcessRunner.run("/usr/sbin/usermod", ["-a", "-G", extraGroup, name])
            }
            return found
        }
        var arguments = ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin"]
        if let extraGroup { arguments += ["--groups", extraGroup] }
        let result = try ProcessRunner.run(useradd, arguments + [name])
        // Another test process may have made it at the same moment.
        guard let made = lookUp(name) else { throw AccountsUnavailable("useradd \(name) failed (\(result.status)): \(result.stderr)") }
        return made
    }

    private static func lookUp(_ name: String) -> User? {
        guard let entry = getpwnam(name) else { return nil }
        return User(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    private static func isMember(_ user: String, of group: String) -> Bool {
        guard let entry = getgrnam(group), var member = entry.pointee.gr_mem else { return false }
        while let name = member.pointee {
            if String(cString: name) == user { return true }
            member += 1
        }
        return false
    }
}

struct AccountsUnavailable: Error, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}
