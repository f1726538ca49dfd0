import Foundation

/// Job IDs (docs/spool.md#job-ids): `[A-Za-z0-9][A-Za-z0-9._-]{0,127}`, the identity of a job everywhere. A job file is `ID.json`.
public enum JobID {
    /// Longest ID, in characters.
    public static let maximumLength = 128

    /// The rule, for messages.
    public static let rule = "1-128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit"

    /// Whether `id` is a valid job ID.
    public static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard let first = bytes.first, bytes.count <= maximumLength, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// The ID of a file named `ID.json`, or nil if the name is anything else.
    public static func fromFileName(_ name: String) -> String? {
        guard name.hasSuffix(".json") else { return nil }
        let id = String(name.dropLast(5))
        return isValid(id) ? id : nil
    }

    /// A new, time-sortable, unique ID: a ULID (48-bit millisecond time, 80 random bits, Crockford base 32),
    /// so IDs generated later sort after earlier ones and `ls new/` lists jobs roughly in arrival order.
    public static func generate(now: Date = Date()) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var time = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var characters = [UInt8](repeating: 0, count: 26)
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        var generator = SystemRandomNumberGenerator()
        var random = (UInt64(generator.next() as UInt16), generator.next() as UInt64)
        for index in stride(from: 25, through: 10, by: -1) {
            characters[index] = alphabet[Int(random.1 & 31)]
            random.1 = (random.1 >> 5) | ((random.0 & 31) << 59)
            random.0 >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
