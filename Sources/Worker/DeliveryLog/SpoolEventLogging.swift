import Spool
import Synchronization

/// The spool's own events (`requeued`, `deleted`, `duplicate`) as delivery-log lines, for the worker and the
/// operator commands alike, so that both write the same line for the same event.
///
/// `unmovable` is not a delivery event (an entry that cannot even be moved to `failed/` is an operational
/// problem, reported once per process) and goes to `report` instead, as does a line that cannot be written:
/// where those go (the worker's logger, a command's stderr) is the caller's business.
public final class SpoolEventLogging: SpoolEventSink {
    /// What cannot be written to the delivery log.
    public enum Problem: Sendable {
        /// An entry in `new/` that cannot be moved out; `error` says why.
        case unmovable(entry: String, error: String?)
        /// The line for `job`'s event could not be written.
        case cannotWrite(job: String, error: any Error)
    }

    private let path: String
    private let writer: Mutex<DeliveryLogWriter?>
    private let report: @Sendable (Problem) -> Void

    /// Events go to `log`, already open (the worker's own).
    public init(log: DeliveryLogWriter, report: @escaping @Sendable (Problem) -> Void) {
        path = log.path
        writer = Mutex(log)
        self.report = report
    }

    /// Events go to the log at `path`, opened at the first event only, so commands that change nothing never
    /// create it.
    public init(path: String, report: @escaping @Sendable (Problem) -> Void) {
        self.path = path
        writer = Mutex(nil)
        self.report = report
    }

    /// The delivery-log line for `event`, or nil when it is not a delivery event (`unmovable`).
    public static func deliveryEvent(for event: SpoolEvent) -> DeliveryEvent? {
        let kind: DeliveryEvent.Kind
        switch event.name {
        case .requeued: kind = .requeued
        case .deleted: kind = .deleted
        case .duplicate: kind = .duplicate
        case .unmovable: return nil
        }
        return DeliveryEvent(job: event.job, event: kind, error: event.error)
    }

    public func record(_ event: SpoolEvent) {
        guard let line = Self.deliveryEvent(for: event) else {
            report(.unmovable(entry: event.job, error: event.error))
            return
        }
        do {
            try writer.withLock { writer in
                if writer == nil { writer = try DeliveryLogWriter(path: path) }
                try writer?.record(line)
            }
        } catch {
            report(.cannotWrite(job: event.job, error: error))
        }
    }
}
