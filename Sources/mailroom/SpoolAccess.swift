import ArgumentParser
import Foundation
import Glibc
import MailroomCore
import Registry
import Spool
import Synchronization
import Worker

/// What the spool commands (enqueue, status, list, show, retry, hold, release, delete) share: opening the
/// spool wired to the delivery log, rendering jobs, and streaming output.
enum SpoolAccess {
    /// The spool the layout flags point at; its `requeued`, `deleted` and `duplicate` events go to the delivery log.
    static func open(_ paths: PathOptions) throws -> Spool {
        let layout = paths.layout
        return try Spool(root: layout.spool, events: DeliveryLogSink(path: layout.deliveryLog))
    }

    /// `3s`, `4m12s`, `2h5m`, `3d4h`: an age or a wait, to the second.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded()))
        let (days, hours, minutes, secs) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60)
        if days > 0 { return "\(days)d\(hours)h" }
        if hours > 0 { return "\(hours)h\(minutes)m" }
        if minutes > 0 { return "\(minutes)m\(secs)s" }
        return "\(secs)s"
    }

    /// A job as one JSON object (a `list --json` line; `show --json` adds to it). The first eight keys are
    /// always present (null when unknown); the rest only when they apply. Readers should ignore unknown keys.
    static func json(_ entry: SpoolEntry, now: Date) -> [(String, OrderedJSON)] {
        var members: [(String, OrderedJSON)] = [
            ("id", .string(entry.id)),
            ("state", .string(entry.state.rawValue)),
            ("attempts", .int(entry.attempts)),
            ("queued_at", entry.queuedAt.map { .string(Timestamps.format($0)) } ?? .null),
            ("age_seconds", entry.queuedAt.map { .int(max(0, Int(now.timeIntervalSince($0)))) } ?? .null),
            ("next_retry_at", entry.nextAttemptAt.map { .string(Timestamps.format($0)) } ?? .null),
            ("recipients", entry.recipients.map { .int($0) } ?? .null),
            ("last_error", entry.lastError.map { .string($0) } ?? .null),
        ]
        if let size = entry.size { members.append(("size", .int(size))) }
        if let heldBy = entry.heldBy { members.append(("held_by", .string(heldBy))) }
        if let integration = entry.integration { members.append(("integration", .int(integration))) }
        if let worker = entry.worker { members.append(("worker", .string(worker))) }
        if let field = entry.field { members.append(("field", .string(field))) }
        if let status = entry.httpStatus { members.append(("http_status", .int(status))) }
        if let sentAt = entry.sentAt { members.append(("sent_at", .string(Timestamps.format(sentAt)))) }
        if let messageID = entry.messageID { members.append(("message_id", .string(messageID))) }
        if entry.unsafe { members.append(("unsafe", .bool(true))) }
        return members
    }

    /// The human table's header and rows (fixed widths, so rows can stream).
    static let header = row(["ID", "STATE", "ATT", "AGE", "NEXT RETRY", "RCPT", "LAST ERROR"])

    static func row(_ entry: SpoolEntry, now: Date) -> String {
        let state = entry.unsafe ? entry.state.rawValue + "!" : entry.state.rawValue
        let next = entry.nextAttemptAt.map { $0 > now ? "in " + duration($0.timeIntervalSince(now)) : "due" } ?? "-"
        let error = entry.lastError.map { $0.count > 80 ? String($0.prefix(79)) + "…" : $0 } ?? ""
        return row([
            entry.id, state, String(entry.attempts), entry.queuedAt.map { duration(now.timeIntervalSince($0)) } ?? "-", next,
            entry.recipients.map(String.init) ?? "-", error,
        ])
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [26, 9, 4, 7, 11, 5]
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index < widths.count {
                line += cell + String(repeating: " ", count: max(1, widths[index] + 1 - cell.count))
            } else {
                line += cell
            }
        }
        return line
    }

    /// Runs `body` for each ID and prints each result (a line, or a JSON line with `--json`). A failure is
    /// printed on stderr and the rest still run; the exit status is the first failure's.
    static func act(on ids: [String], json: Bool, _ body: (String) throws -> OperatorResult) throws {
        var firstFailure: Int32?
        for id in ids {
            do {
                print(try body(id), json: json)
            } catch let failure as any MailroomFailure {
                Output.note(failure.description)
                firstFailure = firstFailure ?? failure.exitStatus.rawValue
            }
        }
        if let firstFailure { throw ExitCode(firstFailure) }
    }

    static func print(_ result: OperatorResult, json: Bool) {
        if json {
            let object = OrderedJSON.object([
                ("id", .string(result.id)), ("action", .string(result.action.rawValue)), ("from", .string(result.from.rawValue)),
            ])
            Output.line(object.rendered(pretty: false))
        } else {
            Output.line("\(result.action.rawValue) \(result.id) (was \(result.from.rawValue))")
        }
    }
}

/// Writes the spool's own events to the delivery log, opening it on the first event only, so commands that
/// change nothing never create it.
final class DeliveryLogSink: SpoolEventSink {
    private let path: String
    private let writer = Mutex<DeliveryLogWriter?>(nil)

    init(path: String) {
        self.path = path
    }

    func record(_ event: SpoolEvent) {
        guard let kind = DeliveryEvent.Kind(rawValue: event.name.rawValue) else {
            Output.warning("\(event.job): \(event.error ?? event.name.rawValue)")
            return
        }
        do {
            try writer.withLock { writer in
                if writer == nil { writer = try DeliveryLogWriter(path: path) }
                try writer?.record(DeliveryEvent(job: event.job, event: kind, error: event.error))
            }
        } catch {
            Output.warning("cannot write the delivery log: \(error)")
        }
    }
}

/// Buffered stdout for long listings: one `write(2)` per 64 KiB, and a quiet stop when the reader goes away.
final class StreamingOutput {
    private var buffer = [UInt8]()

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { exit(errno == EPIPE ? 0 : ExitStatus.ioError.rawValue) }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        flush()
    }
}
