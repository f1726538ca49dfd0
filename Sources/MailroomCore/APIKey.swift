/// A SendGrid API key. Every printed form (`description`, `debugDescription`, string
/// interpolation, `dump`, `Mirror`) shows only a fingerprint, never the bytes; only the
/// sender reads `secret`, to put it in the `Authorization` header.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The raw key. Read it only to authenticate a request.
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    /// A short hash of the key (`sha256:` and 12 hex digits); safe to print.
    public var fingerprint: String { Fingerprint.of(secret) }

    public var description: String { "APIKey(\(fingerprint))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }
}
