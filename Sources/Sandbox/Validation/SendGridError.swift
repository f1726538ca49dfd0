/// One entry of SendGrid's `errors` array: `{"message": ..., "field": ..., "help": ...}`.
public struct SendGridError: Sendable, Equatable, CustomStringConvertible {
    /// SendGrid's text, verbatim where the reference quotes it.
    public var message: String
    /// The dotted path of the offending field (`personalizations.0.to.0.email`), or nil.
    public var field: String?
    /// A link into SendGrid's error table, or nil.
    public var help: String?

    public init(message: String, field: String?, help: String?) {
        self.message = message
        self.field = field
        self.help = help
    }

    public var description: String { "\(field ?? "-"): \(message)" }

    /// This error as a JSON object, keys in the order SendGrid writes them for 400s.
    var json: String {
        "{\"message\":\(JSONText.quoted(message)),\"field\":\(JSONText.quotedOrNull(field)),\"help\":\(JSONText.quotedOrNull(help))}"
    }

    /// A full `{"errors":[...]}` body.
    static func body(_ errors: [SendGridError]) -> String {
        "{\"errors\":[" + errors.map(\.json).joined(separator: ",") + "]}"
    }
}
