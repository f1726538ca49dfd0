import MailroomCore

/// Why the sandbox cannot start or keep running. Descriptions name paths and flags, never keys.
public enum SandboxFailure: MailroomFailure {
    /// A flag or fault setting that makes no sense (`--listen`, `--fault-status`, …).
    case usage(String)
    /// `--keys-file` could not be read.
    case keysFile(String)
    /// The `--store` folder could not be created, read or written.
    case store(String, String)

    public var exitStatus: ExitStatus {
        switch self {
        case .usage: .usage
        case .keysFile: .noInput
        case .store: .cannotCreate
        }
    }

    public var description: String {
        switch self {
        case .usage(let text): text
        case .keysFile(let path): "--keys-file \(path): cannot read the file"
        case .store(let folder, let problem): "--store \(folder): \(problem)"
        }
    }
}
