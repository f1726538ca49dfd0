/// The shared secret that protects the inbox page and the control routes (`--token`,
/// `MAILROOM_SANDBOX_TOKEN`). It never prints itself, and is compared in constant time so a
/// caller cannot find it byte by byte from response times.
public struct SandboxToken: Sendable, CustomStringConvertible {
    let secret: [UInt8]

    /// nil for an empty token: "protected by nothing" must not look like protection.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        secret = Array(text.utf8)
    }

    public var description: String { "<sandbox token>" }

    func matches(_ candidate: Substring) -> Bool {
        let bytes = Array(candidate.utf8)
        var difference = UInt8(bytes.count == secret.count ? 0 : 1)
        for index in secret.indices {
            difference |= secret[index] ^ (index < bytes.count ? bytes[index] : 0)
        }
        return difference == 0
    }
}
