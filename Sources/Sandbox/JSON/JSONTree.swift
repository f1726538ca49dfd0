/// A parsed JSON value as the sandbox validates it.
///
/// Objects keep their members in order and keep duplicate keys, because SendGrid's rules talk
/// about both ("The headers cannot contain duplicate keys"), and numbers remember whether they
/// were written as integers, because several fields must be "a Unix timestamp as an integer".
enum JSONTree: Sendable {
    case null
    case bool(Bool)
    case number(Double, isInteger: Bool)
    case string(String)
    case array([JSONTree])
    case object([(key: String, value: JSONTree)])

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

    var members: [(key: String, value: JSONTree)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value when it is a whole number written without fraction or exponent.
    var integer: Int? {
        guard case .number(let value, true) = self, abs(value) < 9.0e15 else { return nil }
        return Int(value)
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
        case .number(_, let isInteger): isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
