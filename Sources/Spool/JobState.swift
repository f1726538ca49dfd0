/// Where a job is in its life (docs/spool.md#folders-and-states). Each state is a folder (or a few) under the spool root.
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Published in `new/`, waiting for a worker.
    case ready
    /// Claimed by a worker (`active/<worker>/`), being sent.
    case active
    /// Waiting for a retry (`deferred/`; the file's mtime is the due time).
    case deferred
    /// Parked: by an operator (`held/`) or by a worker because its integration cannot be used (`paused/<integration>/`).
    case held
    /// Given up (`failed/ID.json` unchanged, `failed/ID.reason.json` beside it).
    case failed
    /// Accepted by SendGrid; only a small record is kept (`sent/ID.json`), for 7 days of duplicate detection.
    case sent

    public var description: String { rawValue }
}
