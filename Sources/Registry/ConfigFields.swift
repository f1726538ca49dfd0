import MailroomCore

/// The fields of a request's (or a stored record's) `data` object, each checked against docs/registry.md#fields.
/// Create, update and loading the registry file all go through here, so a rule lives in one place.
struct ConfigFields {
    var environment: DeliveryEnvironment?
    var apiKey: KeyReference?
    var fromEmail: String?
    var fromName: String?
    var changeKeys: Bool?

    static let names = ["environment", "api_key", "from_email", "from_name", "changeKeys"]

    /// No fields: an update that changes nothing in `data`.
    init() {}

    /// Checks every field present in `data`. `path` prefixes field names in errors (`data`).
    /// With `keyOnlyIfChanging` (updates), `api_key` is read only when `changeKeys` is `true`
    /// and is otherwise ignored, whatever it holds.
    init(_ data: JSONValue, path: String, keyOnlyIfChanging: Bool) throws(RegistryError) {
        guard let object = data.objectValue else {
            throw .invalid(field: path, message: "expected an object, got \(data.typeName)")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.names.contains($0) }) {
            throw .invalid(field: "\(path).\(Echo.field(unknown))", message: "unknown field (known: \(Self.names.joined(separator: ", ")))")
        }
        if let value = object["changeKeys"] {
            guard let flag = value.boolValue else {
                throw .invalid(field: "\(path).changeKeys", message: "expected true or false, got \(value.typeName)")
            }
            changeKeys = flag
        }
        if let value = object["environment"] {
            let text = try Self.string(value, field: "\(path).environment")
            guard let environment = DeliveryEnvironment(rawValue: text) else {
                throw .invalid(field: "\(path).environment", message: "\(Echo.quoted(text)) is not stage or production")
            }
            self.environment = environment
        }
        if let value = object["api_key"], !keyOnlyIfChanging || changeKeys == true {
            apiKey = try KeyReference(parsing: try Self.string(value, field: "\(path).api_key"), field: "\(path).api_key")
        }
        if let value = object["from_email"] {
            let text = try Self.string(value, field: "\(path).from_email")
            guard AddressSyntax.isValid(text) else {
                throw .invalid(field: "\(path).from_email", message: "\(Echo.quoted(text)) is not an email address")
            }
            fromEmail = text
        }
        if let value = object["from_name"] {
            let text = try Self.string(value, field: "\(path).from_name")
            guard !text.unicodeScalars.contains(where: KeyReference.isControl) else {
                throw .invalid(field: "\(path).from_name", message: "contains a control character")
            }
            fromName = text
        }
    }

    /// Throws naming `field` unless this field was given.
    static func required<T>(_ value: T?, field: String, _ hint: String = "required") throws(RegistryError) -> T {
        guard let value else { throw .invalid(field: field, message: hint) }
        return value
    }

    private static func string(_ value: JSONValue, field: String) throws(RegistryError) -> String {
        guard let text = value.stringValue else { throw .invalid(field: field, message: "expected a string, got \(value.typeName)") }
        return text
    }
}
