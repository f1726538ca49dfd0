/// Why a job was refused: the field at fault (a JSON path such as `to[1].email`, or `job` for the
/// file as a whole) and what is wrong with it, in words a person can act on.
public struct JobValidationError: MailroomFailure, Equatable {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var exitStatus: ExitStatus { .dataError }
    public var description: String { "invalid job: \(field): \(message)" }
}
