import MailroomCore

/// What the sandbox learns from a body SendGrid would accept.
struct AcceptedMail: Sendable {
    /// Every to/cc/bcc address across all personalizations, lowercased, for `GET /messages?to=`.
    var recipients: [String]
    /// `mail_settings.sandbox_mode.enable == true`: answer 200 instead of 202.
    var sandboxMode: Bool
    /// The message-level sender, for the verified-sender check.
    var fromEmail: String
}

/// The verdict on one Mail Send body.
enum ValidationOutcome: Sendable {
    case accepted(AcceptedMail)
    case rejected([SendGridError])
}

/// Checks a Mail Send body against every rule of SendGrid's that needs no account (reference
/// `sendgrid-v3.md` §2, §3, §5), collecting all errors as SendGrid does rather than stopping at
/// the first. Rules that need account state (verified senders, template ids, IP pools, ASM groups,
/// batch ids) are limited to their syntax.
struct MailValidator {
    /// Unix seconds used for the 72-hour `send_at` limit.
    let now: Int
    var errors: [SendGridError] = []
    var recipients: [String] = []

    static let maximumPersonalizations = 1000
    static let maximumRecipients = MailLimits.maxRecipients
    static let maximumScheduleAhead = Int(MailLimits.maxSendAtAhead.components.seconds)
    static let maximumCustomArgsBytes = MailLimits.maxCustomArgsBytes
    static let maximumSubstitutions = 10_000
    static let maximumSubstitutionBytes = 10_000

    init(now: Int) {
        self.now = now
    }

    /// Validates `body` (already parsed) and returns what SendGrid would answer.
    static func validate(_ body: JSONTree, now: Int) -> ValidationOutcome {
        var validator = MailValidator(now: now)
        return validator.run(body)
    }

    mutating func run(_ body: JSONTree) -> ValidationOutcome {
        guard case .object = body else { return .rejected([SendGridMessages.badRequest]) }
        let hasTemplate = checkTemplateID(body["template_id"])
        let globalArgs = checkCustomArgs(body["custom_args"], field: "custom_args")
        let everyPersonalizationHasSubject = checkPersonalizations(body["personalizations"], globalArgs: globalArgs)
        let fromEmail = checkSender(body["from"], field: "from")
        checkReplyTo(body["reply_to"], list: body["reply_to_list"])
        checkSubject(body["subject"], hasTemplate: hasTemplate, everyPersonalizationHasSubject: everyPersonalizationHasSubject)
        checkContent(body["content"], hasTemplate: hasTemplate)
        checkAttachments(body["attachments"])
        checkHeaders(body["headers"], field: "headers")
        checkCategories(body["categories"])
        checkSendAt(body["send_at"], field: "send_at")
        checkAccountFields(body)
        let sandboxMode = checkMailSettings(body["mail_settings"])
        checkTrackingSettings(body["tracking_settings"])
        checkSections(body["sections"])
        if !errors.isEmpty { return .rejected(errors) }
        return .accepted(AcceptedMail(recipients: recipients, sandboxMode: sandboxMode, fromEmail: fromEmail ?? ""))
    }

    mutating func fail(_ error: SendGridError) {
        errors.append(error)
    }

    /// A member that is present and not JSON `null` (SendGrid treats `null` as absent).
    static func present(_ value: JSONTree?) -> JSONTree? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    /// `text` contains `;`, CR, LF or another control character (`AttachmentRules`, which SendGrid
    /// applies to content types as well).
    static func hasHeaderBreakers(_ text: String) -> Bool {
        !AttachmentRules.isValidParameter(text)
    }

    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }
}
