/// A parsed JSON value as the sandbox validates it.
///
/// Objects keep their members in order and keep duplicate keys, because SendGrid's rules talk
/// about both ("The headers cannot contain duplicate keys"), and whole numbers written without
/// fraction or exponent stay exact integers, because several fields must be "a Unix timestamp as
/// an integer" and stored records carry nanosecond times.
enum JSONTree: Sendable {
    case null
    case bool(Bool)
    /// A number written as an integer that fits `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([JSONMember])

    /// The first member named `key`, when this is an object.
    subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var array: [JSONTree]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var members: [JSONMember]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value when it is a whole number written without fraction or exponent.
    var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Any number, as a `Double`.
    var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON-schema type name SendGrid uses in "Invalid type. Expected: X, given: Y."
    var schemaType: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// One `"key": value` member of a JSON object (a struct, not a tuple: tuple arrays cost a
/// runtime metadata lookup on every use, which showed up in profiles of the hot path).
struct JSONMember: Sendable {
    var key: String
    var value: JSONTree
}
