import Foundation

/// When a 429 says to come back: `Retry-After` (delay in seconds, or an HTTP date) first, then
/// `X-RateLimit-Reset` (Unix epoch seconds), else a minute from now. Always in [now, now + 24 h],
/// so a confused or hostile header can neither spin the worker nor park a job for days.
enum RateLimitReset {
    static let fallbackDelay: TimeInterval = 60
    static let maximumDelay: TimeInterval = 24 * 3600

    static func until(retryAfter: String?, rateLimitReset: String?, now: Date) -> Date {
        let wanted = retryAfter.flatMap { parseRetryAfter($0, now: now) } ?? rateLimitReset.flatMap { parseReset($0, now: now) }
        let date = wanted ?? now.addingTimeInterval(fallbackDelay)
        return min(max(date, now), now.addingTimeInterval(maximumDelay))
    }

    /// `120` (seconds) or `Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110 §10.2.3).
    static func parseRetryAfter(_ value: String, now: Date) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Double(text) else { return nil }
            return now.addingTimeInterval(min(seconds, maximumDelay))
        }
        return parseHTTPDate(text)
    }

    /// Unix epoch seconds (fractions allowed). A value far below any current epoch time is taken
    /// as a delay in seconds, as some gateways send.
    static func parseReset(_ value: String, now: Date) -> Date? {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0 else { return nil }
        if number < 1_000_000_000 { return now.addingTimeInterval(min(number, maximumDelay)) }
        return Date(timeIntervalSince1970: number)
    }

    /// IMF-fixdate, and the obsolete RFC 850 and asctime forms HTTP still allows.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
