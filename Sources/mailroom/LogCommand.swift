import ArgumentParser
import Foundation
import MailroomCore
import Worker

/// `mailroom log`: reads the delivery log (SPEC §5).
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
        if !json { Output.line(table.header) }
        var offset = try reader.scan(filter: filter) { Output.line(table.row($0)) }
        while follow {
            try await Task.sleep(for: .milliseconds(200))
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
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
        let detail = event.messageID.map { "message_id=\($0)" } ?? event.error ?? ""
        return pad([
            event.ts, event.job, event.event.rawValue, event.attempt.map(String.init) ?? "-", event.integration.map(String.init) ?? "-",
            event.httpStatus.map(String.init) ?? "-", detail,
        ])
    }

    private func pad(_ columns: [String]) -> String {
        let widths = [24, 28, 9, 4, 6, 5]
        return columns.enumerated().map { index, text in
            index < widths.count ? text.padding(toLength: max(widths[index], text.count), withPad: " ", startingAt: 0) : text
        }.joined(separator: " ")
    }
}
