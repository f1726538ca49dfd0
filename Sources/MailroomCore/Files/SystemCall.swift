import Foundation
import Glibc

/// The errno of a failed system call, read right after the call returned: anything run later (a `close` in a
/// `defer`, an allocation, Foundation) may overwrite `errno`, and then the error would name the wrong cause.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32

    public init(code: Int32) {
        self.code = code
    }

    /// The C library's words for the errno.
    public var description: String { SystemCall.message(code) }
}

/// The one way Mailroom makes a blocking file system call: retried while a signal interrupts it (EINTR) and
/// failing with the errno captured at the call, in the manner of SwiftNIO's `syscall(blocking:where:)`.
/// The spool, the registry, the health file and the delivery log all go through here, so none of them can
/// forget EINTR on one path, or lose the tail of a short write on another.
public enum SystemCall {
    /// Runs `call`, again while it fails with EINTR (a signal arrived before it did anything), and returns its
    /// result; a result of -1 with any other errno throws that errno. Not for `close(2)`: Linux releases the
    /// descriptor even when close reports EINTR, so a retry could close a descriptor another thread just got.
    @inline(__always) @discardableResult
    public static func retrying<Value: SignedInteger>(_ call: () -> Value) throws(SystemError) -> Value {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = errno
            if code != EINTR { throw SystemError(code: code) }
        }
    }

    /// Writes every byte of `bytes` to `fd`. A short write (a nearly full disk, a pipe, a signal after part of
    /// the data went out) continues with the rest instead of leaving half a record behind; a write that makes
    /// no progress at all fails with EIO instead of looping. When the kernel takes everything at once, which is
    /// the normal case for a file, it is one `write(2)`: the delivery log relies on that for whole lines.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = try retrying { write(fd, pointer, remaining) }
            guard written > 0 else { throw SystemError(code: EIO) }
            pointer += written
            remaining -= written
        }
    }

    /// `writeAll` for `Data`, `[UInt8]` and other contiguous bytes.
    public static func writeAll(_ fd: Int32, _ bytes: some ContiguousBytes) throws(SystemError) {
        let outcome = bytes.withUnsafeBytes { raw in
            Swift.Result { () throws(SystemError) in try writeAll(fd, raw) }
        }
        try outcome.get()
    }

    /// Everything `fd` holds from its current offset to its end, `chunk` bytes per `read(2)`.
    public static func readAll(_ fd: Int32, chunk: Int = 64 * 1024) throws(SystemError) -> Data {
        try read(fd, atMost: .max, chunk: chunk)
    }

    /// At most `limit + 1` bytes of `fd`: a result longer than `limit` tells the caller the file is too large
    /// without ever holding more of it, however large it is (or keeps growing: `/dev/zero`).
    public static func readBounded(_ fd: Int32, limit: Int) throws(SystemError) -> Data {
        try read(fd, atMost: limit + 1, chunk: min(limit + 1, 64 * 1024))
    }

    /// Exactly `count` bytes of `fd` (a file whose size `fstat` gave); nil when the file ends first.
    /// Reads straight into the result, with no second copy: the spool reads every job file it claims this way.
    public static func readExactly(_ fd: Int32, count: Int) throws(SystemError) -> Data? {
        var data = Data(count: count)
        let outcome = data.withUnsafeMutableBytes { raw in
            Swift.Result { () throws(SystemError) -> Bool in
                guard var pointer = raw.baseAddress else { return count == 0 }
                var remaining = count
                while remaining > 0 {
                    let got = try retrying { Glibc.read(fd, pointer, remaining) }
                    if got == 0 { return false }
                    pointer += got
                    remaining -= got
                }
                return true
            }
        }
        return try outcome.get() ? data : nil
    }

    /// Reads until the end of the file or until `maximum` bytes are in.
    private static func read(_ fd: Int32, atMost maximum: Int, chunk: Int) throws(SystemError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: max(chunk, 1))
        while data.count < maximum {
            let room = min(buffer.count, maximum - data.count)
            let count = buffer.withUnsafeMutableBytes { raw in
                Swift.Result { () throws(SystemError) in try retrying { Glibc.read(fd, raw.baseAddress, room) } }
            }
            let got = try count.get()
            if got == 0 { break }
            data.append(contentsOf: buffer[0..<got])
        }
        return data
    }

    /// The C library's words for an errno, as `strerror` gives them.
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

extension FileFailure {
    /// What was being done to `path` when the call failed with `error`.
    public init(_ operation: String, _ path: String, _ error: SystemError) {
        self.init(operation, path, code: error.code)
    }
}
