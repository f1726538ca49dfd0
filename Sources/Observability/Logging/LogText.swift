/// Makes a value safe to put on one line of the text log.
///
/// Values come from outside: entry names in the spool are chosen by applications, error texts quote
/// them. A raw newline would let a name forge a whole log line, and an ANSI escape would let it
/// rewrite what an operator sees in a terminal. Control characters (C0, DEL, C1) and the Unicode
/// line and paragraph separators are written as escapes (`\n`, `\r`, `\t`, `\x1b`, `\u{2028}`), and a
/// backslash as `\\`, so every escape in the log is unambiguous.
public enum LogText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                result += scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\\" || scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
