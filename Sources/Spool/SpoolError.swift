import MailroomCore

/// Everything that can go wrong in the spool, each case carrying what a person needs to act on it.
public enum SpoolError: MailroomFailure, Equatable {
    /// A spool folder is missing and cannot be created (permissions, a file in the way).
    case cannotCreate(path: String, reason: String)
    /// A system call on a spool path failed.
    case io(operation: String, path: String, reason: String)
    /// No job with that ID is in the spool.
    case notFound(id: String)
    /// The job is in a state the action does not apply to.
    case wrongState(id: String, state: JobState, action: String)
    /// The job is claimed by a worker (being sent right now).
    case busy(id: String, worker: String)
    /// Not a valid job ID.
    case invalidID(String)
    /// The claim is not (or no longer) held by this spool's worker folder.
    case claimLost(id: String)
    /// A bulk action without the literal `ALL`.
    case bulkNeedsAll(action: String)

    public var exitStatus: ExitStatus {
        switch self {
        case .cannotCreate: .cannotCreate
        case .io, .claimLost: .ioError
        case .notFound: .noInput
        case .wrongState, .invalidID: .dataError
        case .busy: .temporaryFailure
        case .bulkNeedsAll: .usage
        }
    }

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot create spool folder \(path): \(reason)"
        case .io(let operation, let path, let reason): "spool: \(operation) \(path): \(reason)"
        case .notFound(let id): "no job \(id) in the spool"
        case .wrongState(let id, let state, let action): "job \(id) is \(state.rawValue); cannot \(action) it"
        case .busy(let id, let worker): "job \(id) is active (claimed by worker \(worker)); try again once that attempt ends"
        case .invalidID(let id): "invalid job ID \"\(id.prefix(200))\": \(JobID.rule)"
        case .claimLost(let id): "job \(id) is no longer claimed by this worker"
        case .bulkNeedsAll(let action): "\(action) of every job needs the literal ALL (in capitals)"
        }
    }

    static func io(_ operation: String, _ path: String, _ code: Int32) -> SpoolError {
        .io(operation: operation, path: path, reason: SystemCalls.message(code))
    }
}
