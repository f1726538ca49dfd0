import Foundation

/// Any JSON value: the one value tree of every module, for job files, registry requests and records, listings
/// and the free-form fields (`dynamic_template_data`, SendGrid's error details) that are passed along unchanged.
///
/// Objects keep their members in the order they were read or built (`JSONObject`), so that what Mailroom writes
/// (the registry file, `/integrations` answers, listings) comes out in the order the platform documents, byte for
/// byte the same for the same content. Numbers are `Double`s, as JSON's data model has them; whole numbers below
/// 10^15 are written back without a fraction.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A whole number, for the ids, counts and sizes Mailroom writes.
    public static func int(_ value: Int) -> JSONValue {
        .number(Double(value))
    }
}

extension JSONValue {
    /// The JSON type's name as a person would say it, for error messages ("expected a string, got a number").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The number if it is a whole number that fits an `Int`.
    public var intValue: Int? {
        guard case .number(let value) = self, value.rounded() == value, abs(value) < 9e15 else { return nil }
        return Int(value)
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The first member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The JSON text of this value: compact on one line, or indented by two spaces with `"key": value` when
    /// `pretty` (the registry file and `--json` listings for people). Members in their order.
    public func rendered(pretty: Bool = false) -> String {
        var writer = JSONWriter(reservingCapacity: 256, pretty: pretty)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
