/// Something the spool did that the delivery log should record (docs/delivery-log.md#events), reported as it happens.
public struct SpoolEvent: Sendable, Equatable {
    public enum Name: String, Sendable, Equatable {
        /// Moved back to ready by an operator (`retry`), or from the claim folder of a worker that died.
        case requeued
        /// Removed for good by an operator (`delete`).
        case deleted
        /// A second copy of a job ID was dropped (or refused by `enqueue`).
        case duplicate
        /// An entry in `new/` that cannot even be moved to `failed/` (a mount point, no permission). It is
        /// reported once per process and left alone: an operational warning, not a delivery-log event.
        case unmovable
    }

    /// The job ID (or, for `unmovable`, the entry's name).
    public var job: String
    public var name: Name
    /// What happened, in words, when there is more to say.
    public var error: String?

    public init(job: String, name: Name, error: String? = nil) {
        self.job = job
        self.name = name
        self.error = error
    }
}

/// Where the spool reports its events; the worker wires this to the delivery log.
public protocol SpoolEventSink: Sendable {
    func record(_ event: SpoolEvent)
}
