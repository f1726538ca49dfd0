import ArgumentParser
import Foundation
import MailroomCore
import Registry
import Spool
import Worker

/// `mailroom show ID [--json]`: one job's state, attempts, next retry and its history from the delivery log.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one job: state, attempts, next retry, last error and its delivery-log history.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "The job ID.")
    var id: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        guard let entry = try spool.entry(id) else { throw SpoolError.notFound(id: id) }
        let history = try Self.history(of: id, log: paths.layout.deliveryLog)
        let now = Date()
        if json {
            var members = JobJSON.members(entry, now: now)
            members.append("history", .array(history.map(Self.json)))
            Output.line(JSONValue.object(members).rendered(pretty: true))
            return
        }
        Output.line("Job \(entry.id)")
        for (label, value) in Self.fields(entry, now: now) { Output.line("  " + label.padding(toLength: 13, withPad: " ", startingAt: 0) + value) }
        Output.line(history.isEmpty ? "History: none in \(paths.layout.deliveryLog)" : "History:")
        let table = DeliveryLogTable(json: false)
        for event in history { Output.line("  " + table.row(event)) }
    }

    /// The job's events from the delivery log, oldest first (the log is read as a stream).
    static func history(of id: String, log: String) throws -> [DeliveryEvent] {
        var events: [DeliveryEvent] = []
        try DeliveryLogReader(path: log).scan(filter: DeliveryLogReader.Filter(job: id)) { events.append($0) }
        return events
    }

    private static func fields(_ entry: SpoolEntry, now: Date) -> [(String, String)] {
        var fields: [(String, String)] = [("state", entry.state.rawValue + (entry.unsafe ? " (unsafe entry, never a job)" : ""))]
        fields.append(("attempts", String(entry.attempts)))
        if let queued = entry.queuedAt {
            fields.append(("queued", "\(Timestamps.format(queued)) (\(AgeText.duration(now.timeIntervalSince(queued))) ago)"))
        }
        if let next = entry.nextAttemptAt {
            fields.append(
                ("next retry", Timestamps.format(next) + (next > now ? " (in \(AgeText.duration(next.timeIntervalSince(now))))" : " (due)")))
        }
        if let recipients = entry.recipients { fields.append(("recipients", String(recipients))) }
        if let heldBy = entry.heldBy { fields.append(("held by", heldBy + (entry.integration.map { " (integration \($0))" } ?? ""))) }
        if let worker = entry.worker { fields.append(("worker", worker)) }
        if let error = entry.lastError { fields.append((entry.state == .failed ? "reason" : "last error", error)) }
        if let field = entry.field { fields.append(("field", field)) }
        if let status = entry.httpStatus { fields.append(("http status", String(status))) }
        if let sentAt = entry.sentAt { fields.append(("sent", Timestamps.format(sentAt))) }
        if let messageID = entry.messageID { fields.append(("message id", messageID)) }
        if let size = entry.size { fields.append(("size", "\(size) bytes")) }
        return fields
    }

    private static func json(_ event: DeliveryEvent) -> JSONValue {
        var members: [(String, JSONValue)] = [("ts", .string(event.ts)), ("event", .string(event.event.rawValue))]
        if let attempt = event.attempt { members.append(("attempt", .int(attempt))) }
        if let integration = event.integration { members.append(("integration", .int(integration))) }
        if let environment = event.environment { members.append(("environment", .string(environment))) }
        if let recipients = event.recipients { members.append(("recipients", .int(recipients))) }
        if let status = event.httpStatus { members.append(("http_status", .int(status))) }
        if let messageID = event.messageID { members.append(("message_id", .string(messageID))) }
        if let duration = event.durationMS { members.append(("duration_ms", .int(duration))) }
        if let error = event.error { members.append(("error", .string(error))) }
        return .object(JSONObject(members))
    }
}
