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

    private static func append(_ tree: JSONTree, to out: inout String) {
        switch tree {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value, let isInteger):
            out += isInteger && abs(value) < 9.0e18 ? String(Int64(value)) : String(value)
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
