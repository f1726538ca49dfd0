/// The rules for custom headers (SendGrid's `headers` object), shared by the job parser and the sandbox.
public enum HeaderRules {
    /// Header names SendGrid sets itself and refuses in `headers`, lowercased; compare with `isReserved`.
    public static let reservedNames: Set<String> = [
        "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type", "content-transfer-encoding",
        "to", "from", "subject", "reply-to", "cc", "bcc",
    ]

    /// Whether `name` is one of `reservedNames`, compared without case.
    public static func isReserved(_ name: String) -> Bool {
        reservedNames.contains(name.lowercased())
    }

    /// Whether `name` is a header field name: one or more printable ASCII characters other than the colon
    /// (RFC 5322 `ftext`), so no spaces, no control characters, nothing beyond ASCII.
    public static func isValidName(_ name: String) -> Bool {
        !name.utf8.isEmpty && name.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: ":") }
    }

    /// Whether `value` can be a header value, or a subject: no CR or LF (a line break would let the value add
    /// headers of its own) and no other control character except the tab.
    public static func isValidValue(_ value: String) -> Bool {
        valueProblem(value) == nil
    }

    static func valueProblem(_ value: String) -> String? {
        for byte in value.utf8 where byte < 0x20 || byte == 0x7F {
            switch byte {
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return "contains a line break (CR or LF)"
            case UInt8(ascii: "\t"): continue
            default: return "contains a control character"
            }
        }
        return nil
    }
}
