import ArgumentParser
import Foundation
import MailroomCore
import Registry
import Spool

/// `mailroom status [--json]`: counts per state, the oldest ready job's wait, the next retry and the
/// workers alive (docs/spool.md#operator-commands).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show counts per state, oldest ready age, next retry and workers alive.")

    @OptionGroup var paths: PathOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        let now = Date()
        var report = StatusReport(spool: spool.root, counts: try spool.counts(), now: now)
        report.sections.append(.integrations(layout: paths.layout, now: now))
        if json {
            Output.line(report.json().rendered(pretty: true))
        } else {
            for line in report.text() { Output.line(line) }
        }
    }
}

/// What `status` reports, built as a value so more sections can be added (integration health) without
/// touching the spool part: add a `Section` to `sections`.
struct StatusReport {
    /// A part of the report: its JSON member and its text lines.
    struct Section {
        var key: String
        var json: JSONValue
        var text: [String]
    }

    var spool: String
    var counts: StateCounts
    var now: Date
    var sections: [Section] = []

    func json() -> JSONValue {
        let states: [(String, JSONValue)] = JobState.allCases.map { ($0.rawValue, .int(counts.count($0))) }
        var members: [(String, JSONValue)] = [
            ("spool", .string(spool)),
            ("counts", .object(JSONObject(states))),
            ("oldest_ready_since", counts.oldestReadySince.map { .string(Timestamps.format($0)) } ?? .null),
            ("oldest_ready_age_seconds", counts.oldestReadySince.map { .int(max(0, Int(now.timeIntervalSince($0)))) } ?? .null),
            ("next_retry_at", counts.nextRetryAt.map { .string(Timestamps.format($0)) } ?? .null),
            ("workers_alive", .int(counts.workersAlive)),
        ]
        members += sections.map { ($0.key, $0.json) }
        return .object(JSONObject(members))
    }

    func text() -> [String] {
        var lines = ["Spool \(spool)"]
        for state in JobState.allCases {
            var line = "  " + (state == .sent ? "sent (7d)" : state.rawValue).padding(toLength: 11, withPad: " ", startingAt: 0)
            let count = String(counts.count(state))
            line += String(repeating: " ", count: max(1, 8 - count.count)) + count
            if state == .ready, let since = counts.oldestReadySince {
                line += "   oldest waiting \(AgeText.duration(now.timeIntervalSince(since)))"
            }
            if state == .deferred, let next = counts.nextRetryAt {
                let when = next > now ? "in \(AgeText.duration(next.timeIntervalSince(now)))" : "due now"
                line += "   next retry \(Timestamps.format(next)) (\(when))"
            }
            lines.append(line)
        }
        lines.append("Workers alive: \(counts.workersAlive)")
        for section in sections { lines += section.text }
        return lines
    }
}
