/// Process exit statuses, from sysexits(3), as docs/operators-guide.md#exit-codes lists them.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case cannotCreate = 73
    case ioError = 74
    case temporaryFailure = 75
    case configuration = 78
}

/// An error a person can act on: it knows its exit status, and its `description`
/// is the one line the CLI prints. Implementations never put a secret in `description`.
public protocol MailroomFailure: Error, CustomStringConvertible, Sendable {
    var exitStatus: ExitStatus { get }
}

/// A failure with a fixed status and message, for cases that need no type of their own.
public struct PlainFailure: MailroomFailure {
    public let exitStatus: ExitStatus
    public let description: String

    public init(_ exitStatus: ExitStatus, _ description: String) {
        self.exitStatus = exitStatus
        self.description = description
    }
}
