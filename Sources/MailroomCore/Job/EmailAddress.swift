/// A mailbox: an address and an optional display name.
public struct EmailAddress: Sendable, Hashable, Codable {
    public var email: String
    public var name: String?

    public init(email: String, name: String? = nil) {
        self.email = email
        self.name = name
    }
}
