/// Building JSON text by hand for the sandbox's responses and stored records: the shapes are
/// fixed and small, and writing them directly is much cheaper than going through `Codable`.
enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// `text` quoted, or `null`.
    static func quotedOrNull(_ text: String?) -> String {
        text.map(quoted) ?? "null"
    }

    /// The compact JSON encoding of a value tree (used to measure `custom_args` as SendGrid does).
    static func encode(_ tree: JSONTree) -> String {
        var out = ""
        append(tree, to: &out)
        return out
    }

    /// The length in bytes of `encode(tree)`, computed without building it.
    static func encodedSize(_ tree: JSONTree) -> Int {
        switch tree {
        case .null: return 4
        case .bool(let value): return value ? 4 : 5
        case .integer(let value): return String(value).utf8.count
        case .number(let value): return String(value).utf8.count
        case .string(let value): return quotedSize(value)
        case .array(let elements): return 2 + max(0, elements.count - 1) + elements.reduce(0) { $0 + encodedSize($1) }
        case .object(let members):
            return 2 + max(0, members.count - 1) + members.reduce(0) { $0 + quotedSize($1.key) + 1 + encodedSize($1.value) }
        }
    }

    /// The length in bytes of `quoted(text)`.
    static func quotedSize(_ text: String) -> Int {
        var size = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09: size += 2
            case 0..<0x20: size += 6
            default: size += 1
            }
        }
        return size
    }

    private static func append(_ tree: JSONTree, to out: inout String) {
        switch tree {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += String(value)
        case .string(let value): out += quoted(value)
        case .array(let elements):
            out += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out += "," }
                append(element, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (offset, member) in members.enumerated() {
                if offset > 0 { out += "," }
                out += quoted(member.key)
                out += ":"
                append(member.value, to: &out)
            }
            out += "}"
        }
    }
}
