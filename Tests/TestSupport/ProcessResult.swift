import Foundation

/// What a finished process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// stdout and stderr together, for assertions that do not care which stream a line went to.
    public var output: String { stdout + stderr }
}
