import MailroomCore

/// A job that SendGrid would refuse, found before anything is sent: a permanent failure.
///
/// `field` names the part of the job at fault the way the job file spells it (`to[2].email`,
/// `headers.Subject`, `attachments[0].content`), or `from_email`/`from_name` when the
/// integration's sender is at fault. The description never carries a secret: a job holds none.
public struct PayloadError: MailroomFailure, Equatable {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var exitStatus: ExitStatus { .dataError }
    public var description: String { "job refused before sending: \(field): \(message)" }
}
