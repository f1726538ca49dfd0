/// Who may send: any key that looks like a SendGrid key (`SG.` prefix), or, when keys are
/// configured, only those. The verdicts map to SendGrid's three 401 texts.
struct KeyCheck: Sendable {
    enum Verdict: Sendable, Equatable {
        /// No `Authorization: Bearer …` header: "authorization required".
        case missing
        /// A bearer token that is not a SendGrid key: "Permission denied, wrong credentials".
        case malformed
        /// A well-formed key this sandbox does not know: "The provided authorization grant is invalid, expired, or revoked".
        case refused
        case accepted
    }

    /// Keys accepted; empty means any `SG.` key.
    let allowed: Set<String>

    /// The bearer token of an `Authorization` header value (scheme compared without case, spaces
    /// around the token ignored), or nil when there is none.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let utf8 = header.utf8
        var index = utf8.startIndex
        for expected in "bearer".utf8 {
            guard index != utf8.endIndex, utf8[index] | 0x20 == expected else { return nil }
            index = utf8.index(after: index)
        }
        guard index == utf8.endIndex || utf8[index] == UInt8(ascii: " ") else { return nil }
        while index != utf8.endIndex, utf8[index] == UInt8(ascii: " ") { index = utf8.index(after: index) }
        var end = utf8.endIndex
        while end > index, utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        return String(Substring(utf8[index..<end]))
    }

    func verdict(token: String?) -> Verdict {
        guard let token else { return .missing }
        guard token.hasPrefix("SG."), token.utf8.count > 3 else { return .malformed }
        if allowed.isEmpty || allowed.contains(token) { return .accepted }
        return .refused
    }
}
