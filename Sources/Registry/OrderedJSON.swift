/// A JSON value whose object keys keep the order they were written in, so that every response
/// and the registry file come out byte-for-byte the same for the same content, in the order the
/// platform uses, without depending on how a Foundation encoder orders dictionaries.
public enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// The JSON text: indented by two spaces with `"key": value` when `pretty`, else on one line.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: "")
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: String) {
        let inner = indent + "  "
        let separator = pretty ? ",\n" : ","
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): out += Self.quoted(value)
        case .array(let items) where items.isEmpty: out += "[]"
        case .object(let members) where members.isEmpty: out += "{}"
        case .array(let items):
            out += pretty ? "[\n" : "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += separator }
                if pretty { out += inner }
                item.write(to: &out, pretty: pretty, indent: inner)
            }
            out += pretty ? "\n\(indent)]" : "]"
        case .object(let members):
            out += pretty ? "{\n" : "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += separator }
                if pretty { out += inner }
                out += Self.quoted(key) + (pretty ? ": " : ":")
                value.write(to: &out, pretty: pretty, indent: inner)
            }
            out += pretty ? "\n\(indent)}" : "}"
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.rendered(pretty: false) == rhs.rendered(pretty: false)
    }
}
