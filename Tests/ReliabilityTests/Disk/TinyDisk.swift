import Foundation
import Glibc
import TestSupport
import Testing

/// A tmpfs of a few hundred KiB mounted over a folder, to run out of space on purpose. Mounting needs root
/// (CAP_SYS_ADMIN); where it is refused, the tests that need one are skipped, saying why.
final class TinyDisk: @unchecked Sendable {
    let path: String
    private var mounted = true

    /// Mounts a `size` tmpfs over `path` (created if missing); nil if the mount is refused.
    init?(at path: String, size: String = "256k") {
        self.path = path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard let result = try? ProcessRunner.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path]),
            result.status == 0
        else { return nil }
    }

    deinit {
        unmount()
    }

    func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? ProcessRunner.run("/usr/bin/env", ["umount", "-l", path])
    }

    /// Whether this machine lets the tests mount one (probed once).
    static let available: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mailroom-tinydisk-probe-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard let disk = TinyDisk(at: probe, size: "64k") else { return false }
        disk.unmount()
        return true
    }()

    static let skipReason: Comment = "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): the full-disk tests are skipped"

    /// Fills the disk with `filler` until a write fails with ENOSPC; returns the bytes written.
    @discardableResult
    func fill(_ name: String = "filler") -> Int {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x2E, count: 4096)
        var total = 0
        for size in [4096, 512, 64, 1] {
            while true {
                let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
                if written <= 0 { break }
                total += written
            }
        }
        return total
    }

    /// Frees the space `fill` took.
    func free(_ name: String = "filler") {
        unlink(path + "/" + name)
    }
}

/// Runs the worker without the root privilege of ignoring file permissions, so that `chmod 000` and a
/// read-only folder mean to it what they mean to any other user.
enum Unprivileged {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether permissions can be made to bite here: not root, or root able to drop CAP_DAC_OVERRIDE with setpriv.
    static var available: Bool { getuid() != 0 || setpriv != nil }

    static let skipReason: Comment = "running as root without setpriv(1): chmod cannot make a file unreadable to the worker; skipped"

    /// `mailroom ARGS` in the background, without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH when running as root.
    static func start(_ arguments: [String]) throws -> BackgroundProcess {
        guard getuid() == 0 else { return try BackgroundProcess.mailroom(arguments) }
        guard let setpriv else { throw RigFailure("setpriv is missing") }
        return try BackgroundProcess(setpriv, ["--bounding-set", "-dac_override,-dac_read_search", MailroomBinary.path] + arguments)
    }
}
