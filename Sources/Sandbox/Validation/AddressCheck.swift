/// Email address syntax as the sandbox checks it: `local@domain`, ASCII, a dot-atom local part of
/// 1–64 characters, and a domain of at least two letter-digit-hyphen labels (at most 255
/// characters, last label not all digits). Quoted local parts and address literals are refused,
/// as SendGrid's validator does. Length over 320 is reported separately, with its own message.
enum AddressCheck {
    static let maximumLength = 320

    static func isValid(_ email: String) -> Bool {
        var local = 0
        var domainStart = -1
        var index = 0
        for byte in email.utf8 {
            if byte == UInt8(ascii: "@") {
                guard domainStart < 0 else { return false }
                domainStart = index + 1
                local = index
            }
            index += 1
        }
        guard domainStart > 0 else { return false }
        let bytes = Array(email.utf8)
        return isLocalPart(bytes[0..<local]) && isDomain(bytes[domainStart...])
    }

    private static func isLocalPart(_ local: ArraySlice<UInt8>) -> Bool {
        guard (1...64).contains(local.count), local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for byte in local {
            if byte == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isAtext(byte) else { return false }
                previousDot = false
            }
        }
        return true
    }

    private static func isDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        guard (3...255).contains(domain.count) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, !top.allSatisfy(isDigit) else { return false }
        for label in labels {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// RFC 5322 `atext`.
    private static func isAtext(_ byte: UInt8) -> Bool {
        if isDigit(byte) || isLetter(byte) { return true }
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
