import Foundation
import MailroomCore
import Synchronization

/// Appends delivery events to the log file, one JSON line per `write(2)` with `O_APPEND`, so
/// lines from several workers never interleave. The worker writes each event before the state
/// move it reports; `reopen()` (on SIGHUP) follows a logrotate rename.
public final class DeliveryLogWriter: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>

    public init(path: String) throws {
        self.path = path
        descriptor = Mutex(try Self.open(path))
    }

    deinit {
        descriptor.withLock { fd in _ = close(fd) }
    }

    /// Appends one event. A failed write is reported, never silently dropped.
    public func record(_ event: DeliveryEvent) throws {
        let line = event.jsonLine
        try descriptor.withLock { fd in
            try Self.writeAll(line, to: fd, path: path)
        }
    }

    /// Writes all of `data` through `SystemCall.writeAll`: a signal (EINTR) or a short write (a nearly full
    /// disk, a size limit) continues with the rest instead of leaving half a line behind, and a write that makes
    /// no progress at all is an error. One `write(2)` carries the whole line in the normal case, so lines of
    /// concurrent workers stay whole.
    static func writeAll(_ data: [UInt8], to fd: Int32, path: String) throws {
        do throws(SystemError) {
            try SystemCall.writeAll(fd, data)
        } catch {
            throw PlainFailure(.ioError, "cannot append to the delivery log \(path): \(error)")
        }
    }

    /// Closes and reopens the file by name, for log rotation.
    public func reopen() throws {
        let fresh = try Self.open(path)
        descriptor.withLock { fd in
            close(fd)
            fd = fresh
        }
    }

    /// Flushes appended lines to disk (at shutdown and periodically; not per event).
    public func sync() {
        descriptor.withLock { fd in _ = fdatasync(fd) }
    }

    private static func open(_ path: String) throws -> Int32 {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw PlainFailure(.cannotCreate, "cannot create the delivery log folder \(folder): \(error.localizedDescription)")
            }
        }
        // O_NOFOLLOW: a symlink planted at the log's name must not redirect delivery records elsewhere.
        do throws(SystemError) {
            return try SystemCall.retrying { Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640) }
        } catch {
            throw PlainFailure(.cannotCreate, "cannot open the delivery log \(path): \(error)")
        }
    }
}
