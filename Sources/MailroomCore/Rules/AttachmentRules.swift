/// The rules for attachments SendGrid enforces, shared by the job parser and the sandbox.
public enum AttachmentRules {
    /// The values `disposition` may take.
    public static let dispositions: Set<String> = ["attachment", "inline"]

    /// Whether `value` may be an attachment's `type`, `filename` or `content_id`: not empty, and none of the
    /// characters SendGrid refuses there (`;`, CR, LF), nor any other control character.
    public static func isValidParameter(_ value: String) -> Bool {
        parameterProblem(value) == nil
    }

    /// Whether `content` is base64 as RFC 4648 §4 writes it: the standard alphabet, `=` padding to a multiple
    /// of four, nothing else (no line breaks, no URL-safe alphabet), and not empty.
    public static func isBase64(_ content: String) -> Bool {
        let bytes = content.utf8
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        var padding = 0
        for byte in bytes {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if padding > 0 || !isBase64Digit(byte) { return false }
        }
        return padding <= 2
    }

    static func parameterProblem(_ value: String) -> String? {
        if value.utf8.isEmpty { return "is empty" }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: ";"): return "contains ';', which SendGrid refuses here"
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return "contains a line break (CR or LF)"
            case 0..<0x20, 0x7F: return "contains a control character"
            default: continue
            }
        }
        return nil
    }

    private static func isBase64Digit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
