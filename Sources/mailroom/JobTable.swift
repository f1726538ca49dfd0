import Foundation
import Spool

/// The human table of `list`: fixed column widths, so rows can stream as the spool is read.
enum JobTable {
    static let header = row(["ID", "STATE", "ATT", "AGE", "NEXT RETRY", "RCPT", "LAST ERROR"])

    static func row(_ entry: SpoolEntry, now: Date) -> String {
        let state = entry.unsafe ? entry.state.rawValue + "!" : entry.state.rawValue
        let next = entry.nextAttemptAt.map { $0 > now ? "in " + AgeText.duration($0.timeIntervalSince(now)) : "due" } ?? "-"
        let error = entry.lastError.map { $0.count > 80 ? String($0.prefix(79)) + "…" : $0 } ?? ""
        return row([
            entry.id, state, String(entry.attempts), entry.queuedAt.map { AgeText.duration(now.timeIntervalSince($0)) } ?? "-", next,
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
}
