/// The numbers SendGrid's Mail Send API enforces (reference/sendgrid-v3.md §3), in one place, so the job
/// parser, the payload builder and the sandbox refuse exactly the same things.
public enum MailLimits {
    /// Addresses in `to`, `cc` and `bcc` together, per request.
    public static let maxRecipients = 1000
    /// Categories per message.
    public static let maxCategories = 10
    /// Characters (ASCII, so bytes) per category.
    public static let maxCategoryLength = 255
    /// How far ahead `send_at` may schedule a message.
    public static let maxSendAtAhead: Duration = .seconds(72 * 60 * 60)
    /// The whole JSON request body ("less than 30 MB"; decimal megabytes, the stricter reading).
    public static let maxPayloadBytes = 30_000_000
    /// `custom_args` keys and values together, in UTF-8 bytes. SendGrid's pages say 10,000 or 50,000; this is the smaller.
    public static let maxCustomArgsBytes = 10_000
    /// A whole address, `local@domain`.
    public static let maxAddressLength = 320
    /// The part before the `@`.
    public static let maxLocalPartLength = 64
    /// The part after the `@`.
    public static let maxDomainLength = 255
    /// One dot-separated label of a domain (RFC 1035).
    public static let maxDomainLabelLength = 63
}
