/// The one JSON string escaper, for everything Mailroom writes as JSON and every value it quotes in a message.
///
/// Quotes and backslashes are escaped, `\n`, `\r`, `\t` by name and other C0 controls and DEL as `\u00xx`, so the
/// result is valid JSON and never spans lines. `.message` also escapes C1 controls and the Unicode line and
/// paragraph separators: an error line quotes text an application or a request chose, and those would start a new
/// line or drive the terminal of the person reading it. (Messages write hex digits in uppercase, as field paths in
/// job errors always have; JSON text in lowercase.)
public enum JSONEscaping {
    public enum Style: Sendable {
        /// What JSON requires, plus DEL: bodies, log lines, records, responses.
        case json
        /// As `.json`, and C1 controls, U+2028 and U+2029 too: values quoted in error messages.
        case message
    }

    /// Appends `text` as a JSON string literal, quotes included. Always inlined into the writer: it runs for every
    /// key and value of every body and log line, and a call per string measurably slowed both.
    @inlinable @inline(__always)
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path for the common case (and for large base64 attachments): nothing to escape.
        let plain = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPlain) } ?? text.utf8.allSatisfy(isPlain)
        if plain {
            bytes.append(contentsOf: text.utf8)
        } else {
            appendEscaped(text, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A byte that stands for itself inside a JSON string as `.json` writes it.
    @inlinable @inline(__always)
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    @usableFromInline
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F: appendUnicodeEscape(UInt32(byte), to: &bytes)
            default: bytes.append(byte)
            }
        }
    }

    /// The length in bytes of `text` as `appendQuoted` writes it, quotes included, without writing it (limits
    /// SendGrid sets on the size of JSON it receives).
    public static func quotedSize(_ text: String) -> Int {
        var size = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09: size += 2
            case 0..<0x20, 0x7F: size += 6
            default: size += 1
            }
        }
        return size
    }

    /// `text` as a JSON string literal, quotes included. With `limit`, once the quoted text reaches `limit` UTF-8
    /// bytes (escapes counted as written, so a name of control characters cannot grow a message several-fold) it
    /// is cut, and `…` goes before the closing quote.
    public static func quoted(_ text: String, style: Style = .json, limit: Int? = nil) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            if let limit, bytes.count > limit {
                bytes.append(contentsOf: "…".utf8)
                break
            }
            switch scalar {
            case "\"": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case "\\": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case "\n": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case "\r": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case "\t": bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                if needsUnicodeEscape(scalar, style: style) {
                    appendUnicodeEscape(scalar.value, to: &bytes, digits: style == .message ? upperHexDigits : hexDigits)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func needsUnicodeEscape(_ scalar: Unicode.Scalar, style: Style) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return true }
        guard style == .message else { return false }
        return (value >= 0x80 && value < 0xA0) || value == 0x2028 || value == 0x2029
    }

    @usableFromInline
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `\uXXXX` for a scalar of the Basic Multilingual Plane.
    @usableFromInline
    static func appendUnicodeEscape(_ value: UInt32, to bytes: inout [UInt8], digits: [UInt8] = hexDigits) {
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(digits[Int((value >> UInt32(shift)) & 0x0F)]) }
    }
}
