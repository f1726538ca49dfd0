/// The one JSON writer: JSON text straight into a byte buffer, in the order the caller chooses.
///
/// The Mail Send body, the delivery-log line and the sent record are written for every job;
/// writing them directly is several times cheaper than `JSONEncoder` and keeps the field order
/// the caller chooses (SendGrid's documentation for bodies, sorted keys for records). Callers
/// are responsible for well-formedness (matching `beginObject`/`endObject`); the writer only
/// handles commas, indentation (`pretty`, for files and listings people read) and escaping
/// (`JSONEscaping`).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether it already holds a member.
    private var hasMember: [Bool] = []
    /// Two-space indentation and `"key": value`, one member per line.
    private let pretty: Bool

    public init(reservingCapacity capacity: Int = 1024, pretty: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.pretty = pretty
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasMember.append(false)
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// Writes `"name":`; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        JSONEscaping.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        // The value that follows completes this member: no comma of its own.
        pendingValue = true
    }

    public mutating func string(_ value: String) {
        separate()
        JSONEscaping.appendQuoted(value, to: &bytes)
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

    /// Any JSON value. Object members in their order, or by ascending key with `sortingKeys` (bodies built from a
    /// job's free-form data, so the same data always gives the same bytes).
    public mutating func value(_ value: JSONValue, sortingKeys: Bool = false) {
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
            for item in items { self.value(item, sortingKeys: sortingKeys) }
            endArray()
        case .object(let object):
            beginObject()
            let members = sortingKeys ? object.members.sorted { $0.key < $1.key } : object.members
            for member in members {
                key(member.key)
                self.value(member.value, sortingKeys: sortingKeys)
            }
            endObject()
        }
    }

    // MARK: - Separators

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
        if pretty { newline(depth: hasMember.count) }
    }

    private mutating func close(_ bracket: UInt8) {
        let hadMembers = hasMember.removeLast()
        if pretty && hadMembers { newline(depth: hasMember.count) }
        bytes.append(bracket)
    }

    private mutating func newline(depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}
