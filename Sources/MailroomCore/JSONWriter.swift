/// Writes JSON text straight into a byte buffer, in the order the caller chooses.
///
/// The Mail Send body, the delivery-log line and the sent record are written for every job;
/// writing them directly is several times cheaper than `JSONEncoder` and keeps the field order
/// the caller chooses (SendGrid's documentation for bodies, sorted keys for records). Callers
/// are responsible for well-formedness (matching `beginObject`/`endObject`); the writer only
/// handles commas and escaping.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether it already holds a member.
    private var hasMember: [Bool] = []

    public init(reservingCapacity capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    public mutating func endObject() {
        hasMember.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasMember.append(false)
    }

    public mutating func endArray() {
        hasMember.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"name":`; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows completes this member: no comma of its own.
        pendingValue = true
    }

    public mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    public mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// `"name": "value"` in one call.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name": value` for an integer.
    public mutating func member(_ name: String, _ value: Int) {
        key(name)
        integer(value)
    }

    /// The member only when `value` is present, as `Codable` omits nil optionals.
    public mutating func memberIfPresent(_ name: String, _ value: String?) {
        if let value { member(name, value) }
    }

    /// The member only when `value` is present, as `Codable` omits nil optionals.
    public mutating func memberIfPresent(_ name: String, _ value: Int?) {
        if let value { member(name, value) }
    }

    /// An object of string members, keys in ascending order (so bodies are reproducible).
    public mutating func stringObject(_ object: [String: String]) {
        beginObject()
        for name in object.keys.sorted() {
            member(name, object[name] ?? "")
        }
        endObject()
    }

    /// Any JSON value; object keys in ascending order.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number):
            separate()
            if number.rounded() == number, abs(number) < 1e15 {
                bytes.append(contentsOf: String(Int64(number)).utf8)
            } else if number.isFinite {
                bytes.append(contentsOf: "\(number)".utf8)
            } else {
                bytes.append(contentsOf: "null".utf8)
            }
        case .string(let text): string(text)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for name in members.keys.sorted() {
                key(name)
                if let member = members[name] { self.value(member) }
            }
            endObject()
        }
    }

    // MARK: - Separators and escaping

    /// True right after `key(_:)`: the next value completes that member.
    private var pendingValue = false

    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            return
        }
        guard !hasMember.isEmpty else { return }
        if hasMember[hasMember.count - 1] {
            bytes.append(UInt8(ascii: ","))
        } else {
            hasMember[hasMember.count - 1] = true
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path for the common case (and for large base64 attachments): nothing to escape.
        let isPlain: (UInt8) -> Bool = { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        let plain = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPlain) } ?? text.utf8.allSatisfy(isPlain)
        if plain {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
