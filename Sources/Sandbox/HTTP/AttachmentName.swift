/// `Content-Disposition: attachment` for a mail's attachment name, which comes from the sender and
/// may hold quotes, slashes, control characters or non-ASCII text: an ASCII `filename` with the
/// unsafe characters replaced, and the exact name in RFC 6266's `filename*` for browsers that read it.
enum AttachmentName {
    static func disposition(_ name: String) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = base.isEmpty ? "attachment" : base
        var ascii = ""
        for scalar in trimmed.unicodeScalars {
            let safe = scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "%"
            ascii.unicodeScalars.append(safe ? scalar : "_")
        }
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(percentEncoded(trimmed))"
    }

    /// RFC 5987 `attr-char` kept, every other byte of the UTF-8 as `%XX`.
    private static func percentEncoded(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        var out = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
