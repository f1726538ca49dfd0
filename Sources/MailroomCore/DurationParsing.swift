import Foundation

/// Parses durations as the CLI takes them: an integer or decimal followed by `ms`, `s`, `m` or `h`
/// (`250ms`, `30s`, `1.5m`, `24h`). A bare number is seconds.
public enum DurationParsing {
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard let value = Double(number), value >= 0, value.isFinite else { return nil }
            guard let milliseconds = Int64(exactly: (value * unit.scale * 1000).rounded()) else { return nil }
            return .milliseconds(milliseconds)
        }
        guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { return nil }
        guard let milliseconds = Int64(exactly: (seconds * 1000).rounded()) else { return nil }
        return .milliseconds(milliseconds)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
