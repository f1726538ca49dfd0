import MailroomCore
import Spool
import Worker

/// Opening the spool for an operator command (enqueue, status, list, show, retry, hold, release, delete).
enum SpoolAccess {
    /// The spool the layout flags point at; its `requeued`, `deleted` and `duplicate` events go to the delivery log
    /// (opened at the first event, so commands that change nothing never create it), its warnings to stderr.
    static func open(_ paths: PathOptions) throws -> Spool {
        let layout = paths.layout
        let events = SpoolEventLogging(path: layout.deliveryLog) { problem in
            switch problem {
            case .unmovable(let entry, let error): Output.warning("\(entry): \(error ?? SpoolEvent.Name.unmovable.rawValue)")
            case .cannotWrite(_, let error): Output.warning("cannot write the delivery log: \(error)")
            }
        }
        return try Spool(root: layout.spool, events: events)
    }
}
