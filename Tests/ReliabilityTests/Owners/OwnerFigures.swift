import Foundation

/// Totals of the different-owner and outage suites, for the soak report.
enum OwnerFigures {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var totals: [String: [String: Int]] = [:]

    /// Adds `figures` to the suite's totals and writes them (`Soak.report`).
    static func add(_ suite: String, _ figures: [String: Int]) {
        let current: [String: Int] = lock.withLock {
            totals[suite, default: [:]].merge(figures, uniquingKeysWith: +)
            return totals[suite] ?? [:]
        }
        Soak.report(suite, current)
    }
}
