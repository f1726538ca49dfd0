import Glibc

/// A failed system call on a file: what was being done, to which path, and the errno captured at the call.
public struct FileFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The C library's words for the errno.
    public var message: String { String(cString: strerror(code)) }

    public var description: String { "cannot \(operation) \(path): \(message)" }
}
