import MailroomCore

/// The one integration type Mailroom supports, and its metadata exactly as the platform
/// returns it in every response (`fixtures/integrations/create-response-example.json`).
public enum SendGridIntegration {
    public static let id = 4
    public static let slug = "sendgrid"

    /// The `integration` block of the response shape.
    public static var metadata: JSONValue {
        .object([
            "id": .int(id),
            "name": .string("Sendgrid"),
            "description": .string("integrations.sendgrid.description"),
            "category": .string("integrations.sendgrid.category"),
            "slug": .string(slug),
            "created_at": .string("2025-06-17T15:40:10.419Z"),
            "updated_at": .string("2025-06-17T15:40:10.419Z"),
            "media": .array([]),
        ])
    }
}
