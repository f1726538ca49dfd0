import MailroomCore

/// Everything that can go wrong in the registry, each case carrying what a person needs to act.
/// No description ever contains a key: field errors about `data.api_key` say what is wrong
/// without quoting the value, and reference errors name the reference, not what it holds.
public enum RegistryError: MailroomFailure, Equatable {
    /// A request that is not JSON at all, with the 1-based position of the problem (0 if unknown).
    case malformedRequest(line: Int, column: Int)
    /// A request (or stored record) that is JSON but breaks a rule. `field` is a path such as
    /// `data.from_email`, or `body` for the request as a whole.
    case invalid(field: String, message: String)
    /// `show`, `update`, `remove`… of an id the registry does not hold.
    case unknownID(Int)
    /// The registry file is not valid JSON or not a registry; `detail` names the position or field.
    case brokenFile(path: String, detail: String)
    /// A key reference (`env:NAME`, `file:/path`) that does not give a usable key.
    case unresolvedKey(reference: String, reason: String)
    /// The registry file or its folder could not be read or written.
    case io(path: String, detail: String)

    public var exitStatus: ExitStatus {
        switch self {
        case .malformedRequest, .invalid: .dataError
        case .unknownID: .noInput
        case .brokenFile, .unresolvedKey: .configuration
        case .io: .ioError
        }
    }

    public var description: String {
        switch self {
        case .malformedRequest(let line, let column):
            line > 0 ? "invalid integration: not valid JSON at line \(line), column \(column)" : "invalid integration: not valid JSON"
        case .invalid(let field, let message): "invalid integration: \(field): \(message)"
        case .unknownID(let id): "no integration with id \(id)"
        case .brokenFile(let path, let detail): "registry \(path) is broken: \(detail)"
        case .unresolvedKey(let reference, let reason): "key reference \(reference) does not resolve: \(reason)"
        case .io(let path, let detail): "registry \(path): \(detail)"
        }
    }

    /// The field at fault, for the HTTP error body; nil when the error is not about one field.
    public var field: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }
}
