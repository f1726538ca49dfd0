/// An email job as an application publishes it (docs/job-format.md, version 1), after parsing and validation.
///
/// The sender is never part of a job: it always comes from the integration config.
public struct Job: Sendable, Hashable {
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    public var bcc: [EmailAddress]
    public var replyTo: EmailAddress?
    public var subject: String?
    public var text: String?
    public var html: String?
    public var templateID: String?
    public var dynamicTemplateData: JSONObject?
    public var attachments: [Attachment]
    public var categories: [String]
    public var customArgs: [String: String]
    public var headers: [String: String]
    public var sendAt: Int?
    /// A batch made with SendGrid's `POST /v3/mail/batch`, so a scheduled send can be paused or cancelled.
    public var batchID: String?
    /// The id of the integration config to send with; nil means the only active one.
    public var integration: Int?

    public init(
        to: [EmailAddress], cc: [EmailAddress] = [], bcc: [EmailAddress] = [], replyTo: EmailAddress? = nil,
        subject: String? = nil, text: String? = nil, html: String? = nil,
        templateID: String? = nil, dynamicTemplateData: JSONObject? = nil,
        attachments: [Attachment] = [], categories: [String] = [], customArgs: [String: String] = [:],
        headers: [String: String] = [:], sendAt: Int? = nil, integration: Int? = nil
    ) {
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.templateID = templateID
        self.dynamicTemplateData = dynamicTemplateData
        self.attachments = attachments
        self.categories = categories
        self.customArgs = customArgs
        self.headers = headers
        self.sendAt = sendAt
        self.integration = integration
    }

    /// Number of distinct recipients across to, cc and bcc.
    public var recipientCount: Int { to.count + cc.count + bcc.count }
}

/// A file attached to a job; `content` is base64, as SendGrid takes it.
public struct Attachment: Sendable, Hashable {
    public var filename: String
    public var content: String
    public var type: String?
    public var disposition: String?
    public var contentID: String?

    public init(filename: String, content: String, type: String? = nil, disposition: String? = nil, contentID: String? = nil) {
        self.filename = filename
        self.content = content
        self.type = type
        self.disposition = disposition
        self.contentID = contentID
    }
}
