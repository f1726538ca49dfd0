import MailroomCore

/// The client could not be set up: a bad configuration, or libcurl failed to start.
public struct SendGridClientError: MailroomFailure, Equatable {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var exitStatus: ExitStatus { field == "libcurl" ? .unavailable : .configuration }
    public var description: String { "SendGrid client: \(field): \(message)" }
}
