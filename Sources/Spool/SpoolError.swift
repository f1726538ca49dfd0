import Glibc
import MailroomCore

/// Everything that can go wrong in the spool, each case carrying what a person needs to act on it.
public enum SpoolError: MailroomFailure, Equatable {
    /// A spool folder is missing and cannot be created (permissions, a file in the way).
    case cannotCreate(path: String, reason: String)
    /// A system call on a spool path failed; `code` is its errno.
    case io(operation: String, path: String, reason: String, code: Int32)
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
        case .io(let operation, let path, let reason, _): "spool: \(operation) \(path): \(reason)"
        case .notFound(let id): "no job \(id) in the spool"
        case .wrongState(let id, let state, let action): "job \(id) is \(state.rawValue); cannot \(action) it"
        case .busy(let id, let worker): "job \(id) is active (claimed by worker \(worker)); try again once that attempt ends"
        case .invalidID(let id): "invalid job ID \"\(id.prefix(200))\": \(JobID.rule)"
        case .claimLost(let id): "job \(id) is no longer claimed by this worker"
        case .bulkNeedsAll(let action): "\(action) of every job needs the literal ALL (in capitals)"
        }
    }

    static func io(_ operation: String, _ path: String, _ code: Int32) -> SpoolError {
        .io(operation: operation, path: path, reason: SystemCalls.message(code), code: code)
    }

    /// Whether a folder or file was refused for lack of permission (EACCES, EPERM).
    public var isPermissionDenied: Bool {
        if case .io(_, _, _, let code) = self { return code == EACCES || code == EPERM }
        return false
    }

    /// Whether the failure is the disk's, not one job's: full (ENOSPC, EDQUOT), failing (EIO) or read-only
    /// (EROFS). Such a failure will refuse every job alike, so a worker keeps its claims and retries until the
    /// disk takes writes again. Anything else (a permission, a file in the way) concerns one entry: that job
    /// goes to `failed/` with the reason, and the worker carries on with the others.
    public var isDiskWide: Bool {
        switch self {
        case .io(_, _, _, let code): [ENOSPC, EDQUOT, EIO, EROFS].contains(code)
        case .cannotCreate: true
        case .notFound, .wrongState, .busy, .invalidID, .claimLost, .bulkNeedsAll: false
        }
    }
}
