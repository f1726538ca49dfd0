/// The members of a JSON object, in the order they were read or built.
///
/// An array of members rather than a dictionary: writers need the order (the platform's documented field
/// order, the order an application wrote), objects are small enough that a scan finds a member as fast as a
/// hash would, and the sandbox must see repeated keys as SendGrid does. A reader that refuses duplicates
/// (`JSONReader.Options.strict`) guarantees each key appears once. Two objects are equal when they hold the
/// same members in any order, as JSON defines them.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One `"key": value` member (a struct, not a tuple: tuple arrays cost a metadata lookup on every use).
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init() {
        members = []
    }

    public init(_ members: [Member]) {
        self.members = members
    }

    /// Members from `(key, value)` pairs, in the order given.
    public init(_ pairs: [(String, JSONValue)]) {
        members = pairs.map { Member(key: $0.0, value: $0.1) }
    }

    /// Members from a dictionary, keys in ascending order (a dictionary has no order of its own to keep).
    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.keys.sorted().map { Member(key: $0, value: dictionary[$0] ?? .null) }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }

    public subscript(position: Int) -> Member {
        members[position]
    }

    /// The value of the first member named `key`.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The keys, in member order.
    public var keys: [String] { members.map(\.key) }

    /// Adds a member at the end (a key already present is kept: this is a builder, not a dictionary).
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count && lhs.sortedMembers == rhs.sortedMembers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sortedMembers)
    }

    /// The members by key (stable for repeated keys), so equality and hashing ignore order.
    private var sortedMembers: [Member] {
        members.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
    }
}
