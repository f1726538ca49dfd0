/// The address rules every part of Mailroom applies: the job parser before a job enters the spool, the sandbox
/// when it checks a request as SendGrid would.
///
/// Pragmatic RFC 5321: a dot-atom local part (no quoted strings, no comments), `@`, and a host name of at least
/// two dot-separated labels (no IP literals, no trailing dot). ASCII only: SendGrid does not take Unicode in
/// `from`, and international domains are written in their `xn--` form. Lengths follow MailLimits.
public enum AddressSyntax {
    /// Whether `email` is an address Mailroom will send to.
    public static func isValid(_ email: String) -> Bool {
        problem(with: email) == nil
    }

    /// Whether `name` may be a display name: SendGrid refuses `;` and `,` in recipient names, and no control
    /// character (CR and LF above all: they would start a new header line) may appear in any name.
    public static func isValidDisplayName(_ name: String) -> Bool {
        displayNameProblem(name) == nil
    }

    /// What is wrong with `email`, in words for an error message, or nil when it is valid.
    static func problem(with email: String) -> String? {
        let bytes = email.utf8
        if bytes.isEmpty { return "is empty" }
        if bytes.count > MailLimits.maxAddressLength {
            return "is \(bytes.count) characters long; at most \(MailLimits.maxAddressLength)"
        }
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F { return "contains a control character" }
            if byte == 0x20 { return "contains a space" }
            if byte >= 0x80 { return "contains a non-ASCII character (write international domains in their xn-- form)" }
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "has no @" }
        let local = bytes[bytes.startIndex..<at]
        let domain = bytes[bytes.index(after: at)...]
        if let problem = localPartProblem(local) { return problem }
        return domainProblem(domain)
    }

    static func displayNameProblem(_ name: String) -> String? {
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\r", "\n": return "contains a line break (CR or LF)"
            case ";", ",": return "contains '\(scalar)', which SendGrid refuses in names"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { return "contains a control character" }
            }
        }
        return nil
    }

    private static func localPartProblem(_ local: Substring.UTF8View) -> String? {
        if local.isEmpty { return "has nothing before the @" }
        if local.count > MailLimits.maxLocalPartLength {
            return "has a local part of \(local.count) characters; at most \(MailLimits.maxLocalPartLength)"
        }
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in local {
            if byte == UInt8(ascii: ".") {
                if previous == UInt8(ascii: ".") { return "has a misplaced dot before the @ (leading or doubled)" }
            } else if byte == UInt8(ascii: "@") {
                return "has more than one @"
            } else if !isAtext(byte) {
                return "contains '\(Character(Unicode.Scalar(byte)))' before the @ (quoted local parts are not supported)"
            }
            previous = byte
        }
        if previous == UInt8(ascii: ".") { return "has a dot right before the @" }
        return nil
    }

    private static func domainProblem(_ domain: Substring.UTF8View) -> String? {
        if domain.isEmpty { return "has no domain after the @" }
        if domain.count > MailLimits.maxDomainLength {
            return "has a domain of \(domain.count) characters; at most \(MailLimits.maxDomainLength)"
        }
        var labels = 0
        var labelLength = 0
        var previous = UInt8(0)
        var labelAllDigits = true
        for byte in domain {
            if byte == UInt8(ascii: ".") {
                if labelLength == 0 { return "has an empty label in its domain (a leading, trailing or doubled dot)" }
                if previous == UInt8(ascii: "-") { return "has a domain label ending in '-'" }
                labels += 1
                labelLength = 0
                labelAllDigits = true
                continue
            }
            guard isLetterOrDigit(byte) || byte == UInt8(ascii: "-") else {
                return "contains '\(Character(Unicode.Scalar(byte)))' in its domain"
            }
            if labelLength == 0 && byte == UInt8(ascii: "-") { return "has a domain label starting with '-'" }
            labelLength += 1
            if labelLength > MailLimits.maxDomainLabelLength {
                return "has a domain label longer than \(MailLimits.maxDomainLabelLength) characters"
            }
            labelAllDigits = labelAllDigits && isDigit(byte)
            previous = byte
        }
        if labelLength == 0 { return "has an empty label in its domain (a leading, trailing or doubled dot)" }
        if previous == UInt8(ascii: "-") { return "has a domain label ending in '-'" }
        if labels == 0 { return "has a domain without a dot" }
        if labelAllDigits { return "has a numeric top-level domain (IP addresses are not supported)" }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtext(_ byte: UInt8) -> Bool {
        if isLetterOrDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
