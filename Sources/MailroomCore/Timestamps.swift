import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2026-03-12T20:55:53.111Z`), as the platform writes them.
public enum Timestamps {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }

    public static func now() -> String { format(Date()) }
}
