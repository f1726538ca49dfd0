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

    /// The bearer token of an `Authorization` header value, or nil when there is none.
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.utf8.count >= 6 else { return nil }
        let scheme = header.prefix(6)
        guard scheme.lowercased() == "bearer" else { return nil }
        let rest = header.dropFirst(6)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return String(rest.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    func verdict(token: String?) -> Verdict {
        guard let token else { return .missing }
        guard token.hasPrefix("SG."), token.utf8.count > 3 else { return .malformed }
        if allowed.isEmpty || allowed.contains(token) { return .accepted }
        return .refused
    }
}
