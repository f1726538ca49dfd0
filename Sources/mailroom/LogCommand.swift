import ArgumentParser
import Foundation
import MailroomCore
import Worker

/// `mailroom log`: reads the delivery log (docs/delivery-log.md#querying).
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the delivery log.")

    @OptionGroup var paths: PathOptions

    @Option(help: "Only this job.") var job: String?
    @Option(help: "Only this event: sent, deferred, failed, held, duplicate, requeued, deleted.") var event: DeliveryEvent.Kind?
    @Option(help: "Only events newer than this (e.g. 1h, 30m).") var since: String?
    @Flag(help: "Keep printing new events as they are written.") var follow = false
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func run() async throws {
        var filter = DeliveryLogReader.Filter(job: job, event: event)
        if let since {
            guard let age = DurationParsing.parse(since) else {
                throw ValidationError("--since: \"\(since)\" is not a duration (use ms, s, m or h, e.g. 1h)")
            }
            filter.since = Date().addingTimeInterval(-age.seconds)
        }
        let reader = DeliveryLogReader(path: paths.layout.deliveryLog)
        let table = DeliveryLogTable(json: json)
        try reader.checkReadable()
        if !json { Output.line(table.header) }
        var offset = try reader.scan(filter: filter) { Output.line(table.row($0)) }
        var file = reader.identity()
        while follow {
            try await Task.sleep(for: .milliseconds(200))
            // After logrotate renames the file, the worker (on SIGHUP) writes a new one: follow it from the start.
            let current = reader.identity()
            if current?.inode != file?.inode || (current?.size ?? 0) < offset {
                offset = 0
                file = current
            }
            offset = try reader.scan(from: offset, filter: filter) { Output.line(table.row($0)) }
        }
    }
}

extension DeliveryEvent.Kind: ExpressibleByArgument {}

/// The human table and the JSON lines of `mailroom log`.
struct DeliveryLogTable {
    var json: Bool

    var header: String {
        pad(["TIME", "JOB", "EVENT", "ATT", "INTEG", "HTTP", "DETAIL"])
    }

    func row(_ event: DeliveryEvent) -> String {
        // The same text as the event's line in the log file (sorted keys, nil fields left out).
        if json { return String(decoding: event.jsonLine.dropLast(), as: UTF8.self) }
        let detail = event.messageID.map { "message_id=\($0)" } ?? event.error ?? ""
        return pad([
            event.ts, Self.visible(event.job), event.event.rawValue, event.attempt.map(String.init) ?? "-",
            event.integration.map(String.init) ?? "-", event.httpStatus.map(String.init) ?? "-", Self.visible(detail),
        ])
    }

    /// `text` with control characters shown as escapes (`\n`, `\u{1B}`): a job named by a hostile file name
    /// (an unsafe entry's name is logged as it was found) must not forge table rows or drive the terminal.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            case _ where isControl(scalar): shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private func pad(_ columns: [String]) -> String {
        let widths = [24, 28, 9, 4, 6, 5]
        return columns.enumerated().map { index, text in
            index < widths.count ? text.padding(toLength: max(widths[index], text.count), withPad: " ", startingAt: 0) : text
        }.joined(separator: " ")
    }
}
