/// SendGrid's 400 texts for Mail Send, as `SendGridError` values.
///
/// Sources: `shared/reference/sendgrid-v3.md` §5 (strings observed in real responses, preferred),
/// then SendGrid's published error table for the rest. Help links point into that table the way
/// real responses do (`errors.html#message.personalizations.to` for every `to` problem).
enum SendGridMessages {
    static let helpBase = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"

    static func error(_ message: String, _ field: String?, help anchor: String? = nil) -> SendGridError {
        SendGridError(message: message, field: field, help: anchor.map { helpBase + "#" + $0 })
    }

    /// The help anchor SendGrid uses for a field: `message.` and the path without indices.
    static func anchor(for field: String) -> String {
        "message." + field.split(separator: ".").filter { !$0.allSatisfy(\.isNumber) }.joined(separator: ".")
    }

    static func invalidType(_ field: String, expected: String, given value: JSONTree, help: String? = nil) -> SendGridError {
        error("Invalid type. Expected: \(expected), given: \(value.schemaType).", field, help: help ?? anchor(for: field))
    }

    // MARK: Body

    static let badRequest = SendGridError(message: "Bad Request", field: nil, help: nil)
    static let invalidUTF8 = SendGridError(message: "Invalid UTF8 in request.", field: nil, help: nil)

    // MARK: Personalizations

    static let personalizationsRequired = error(
        "The personalizations field is required and must have at least one personalization.", "personalizations",
        help: "-Personalizations-Errors")

    static func tooManyPersonalizations(_ count: Int) -> SendGridError {
        error(
            "The personalization block is limited to 1000 personalizations per API request. You have provided \(count) personalizations. "
                + "Please consider splitting this into multiple requests and resending your request.",
            "personalizations", help: "message.personalizations")
    }

    static let tooManyRecipients = error(
        "There is a limit of 1000 total recipients (to + cc + bcc) per request.", "personalizations", help: "message.personalizations")

    static func toRequired(_ field: String) -> SendGridError {
        error(
            "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
            field, help: "message.personalizations.to")
    }

    static func recipientEmailRequired(_ kind: RecipientKind, _ field: String) -> SendGridError {
        switch kind {
        case .to: return error("The to email parameter is required.", field, help: kind.anchor)
        case .cc, .bcc:
            return error(
                "The \(kind.rawValue) array, when used, must at least have an email parameter with a valid email address and it may also "
                    + "contain a name parameter. e.g. {\"email\": \"example@example.com\"} or "
                    + "{\"email\": \"example@example.com\", \"name\": \"Example Recipient\"}",
                field, help: kind.anchor)
        }
    }

    static func recipientTooLong(_ kind: RecipientKind, _ field: String) -> SendGridError {
        error("The \(kind.headerName) email exceeds the maximum total length of 320 characters", field, help: kind.anchor)
    }

    static func invalidAddress(_ kind: RecipientKind, _ field: String) -> SendGridError {
        error("Does not contain a valid address.", field, help: kind.anchor)
    }

    /// SendGrid documents that recipient names may not contain `;` or `,` (limitations page) but no
    /// response text for it was found; this wording is the sandbox's own, so the fixture does not
    /// assert it.
    static func recipientName(_ kind: RecipientKind, _ field: String) -> SendGridError {
        error("The \(kind.rawValue) name cannot contain ';', ',' or control characters.", field, help: kind.anchor)
    }

    static func duplicateRecipient(_ address: String, foundIn list: String, personalization: String) -> SendGridError {
        error(
            "Each email address in the personalization block should be unique between to, cc, and bcc. "
                + "We found the first duplicate instance of [\(address)] in the \(list) field.",
            personalization, help: "message.recipient-errors")
    }

    // MARK: From and reply-to

    static let fromRequired = error(
        "The from object must be provided for every email send. It is an object that requires the email parameter, but may also "
            + "contain a name parameter.  e.g. {\"email\" : \"example@example.com\"}  or "
            + "{\"email\" : \"example@example.com\", \"name\" : \"Example Recipient\"}.",
        "from.email", help: "message.from")

    static func fromInvalid(_ field: String) -> SendGridError {
        error(
            "The from object must at least have an 'email' parameter with a valid email address and may also contain a 'name' parameter. "
                + "e.g. {\"email\": \"example@example.com\"} or {\"email\": \"example@example.com\", \"name\": \"Example Recipient\"}",
            field, help: "message.from")
    }

    static func fromTooLong(_ field: String) -> SendGridError {
        error("The From email exceeds the maximum total length of 320 characters", field, help: "message.from")
    }

    static let replyToInvalid = error(
        "The reply_to object, when used, must at least have an email parameter with a valid email address and it may also contain a "
            + "name parameter. e.g. {\"email\": \"example@example.com\"} or {\"email\": \"example@example.com\", \"name\": \"Example Recipient\"}",
        "reply_to", help: "message.reply_to")

    static let replyToTooLong = error(
        "The Reply-To email exceeds the maximum total length of 320 characters", "reply_to", help: "message.reply_to")

    static let replyToExclusive = error("reply_to is mutually exclusive with reply_to_list.", "reply_to_list", help: "message.reply_to_list")

    static func replyToListEntry(_ field: String) -> SendGridError {
        error(
            "The reply_to_list object, when used, must at least have an email parameter and may also contain a name parameter.", field,
            help: "message.reply_to_list")
    }

    static func replyToListEmailRequired(_ field: String) -> SendGridError {
        error("The reply_to_list email parameter is required.", field, help: "message.reply_to_list")
    }

    static func replyToListInvalid(_ field: String) -> SendGridError {
        error("The reply_to_list email does not contain a valid address.", field, help: "message.reply_to_list")
    }

    static func replyToListTooLong(_ field: String) -> SendGridError {
        error("The reply_to_list email exceeds the maximum total length of 320 characters.", field, help: "message.reply_to_list")
    }

    static let replyToListUnique = error(
        "Each email address in the reply_to_list should be unique.", "reply_to_list", help: "message.reply_to_list")

    static let replyToListTooMany = error(
        "There is a limit of 1000 reply_to emails per mail/send request.", "reply_to_list", help: "message.reply_to_list")

    // MARK: Subject

    static let subjectRequired = error(
        "The subject is required. You can get around this requirement if you use a template with a subject defined or if every "
            + "personalization has a subject defined.",
        "subject", help: "message.subject")

    static func subjectEmpty(_ field: String) -> SendGridError {
        error("The subject of your email must be a string at least one character in length.", field, help: anchor(for: field))
    }

    // MARK: Content

    static let contentRequired = error(
        "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. "
            + "We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
        "content", help: "message.content")

    static func contentTypeRequired(_ field: String) -> SendGridError {
        error("A content type is required, this tells email clients how to display the email.", field, help: "message.content.type")
    }

    static func contentTypeEmpty(_ field: String) -> SendGridError {
        error("Your content type must be a string with length of at least one character.", field, help: "message.content.type")
    }

    static func contentTypeCharacters(_ field: String) -> SendGridError {
        error("Cannot contain ';', or CRLF characters.", field, help: "message.content.type")
    }

    static func contentValueRequired(_ field: String) -> SendGridError {
        error("A content value is required, this is the content of the email you are sending.", field, help: "message.content.value")
    }

    static func contentValueEmpty(_ field: String) -> SendGridError {
        error("The content value must be a string at least one character in length.", field, help: "message.content.value")
    }

    static let contentOrder = error(
        "Following RFC 1341, section 7.2, if either text/html or text/plain are to be sent in your email: text/plain needs to be first, "
            + "followed by text/html, followed by any other content.",
        "content", help: "message.content.value")

    // MARK: Attachments

    static func attachmentContentEmpty(_ field: String) -> SendGridError {
        error("The attachment content must be a string at least one character in length.", field, help: "message.attachments.content")
    }

    static func attachmentNotBase64(_ field: String) -> SendGridError {
        error("The attachment content must be base64 encoded.", field, help: "message.attachments.content")
    }

    static func filenameRequired(_ field: String) -> SendGridError {
        error("filename is required.", field, help: "message.attachments.filename")
    }

    static func filenameNotString(_ field: String) -> SendGridError {
        error("The filename of your attachment must be a string.", field, help: "message.attachments.filename")
    }

    static func filenameCharacters(_ field: String) -> SendGridError {
        error("The filename of your attachment cannot contain CRLF characters.", field, help: "message.attachments.filename")
    }

    static func attachmentTypeEmpty(_ field: String) -> SendGridError {
        error("The attachment type must be a string and at least one character in length.", field, help: "message.attachments.type")
    }

    static func attachmentTypeCharacters(_ field: String) -> SendGridError {
        error("The type cannot contain ';', or CRLF characters.", field, help: "message.attachments.type")
    }

    static func disposition(_ field: String, provided: String) -> SendGridError {
        error(
            "The disposition of your attachment can be either \"inline\" or \"attachment\". You provided \(provided).", field,
            help: "message.attachments.disposition")
    }

    static func contentIDNotString(_ field: String, provided: String) -> SendGridError {
        error("The content ID of your attachment must be a string. You provided \(provided).", field, help: "message.attachments.content_id")
    }

    static func contentIDCharacters(_ field: String) -> SendGridError {
        error("The content ID of your attachment cannot contain CRLF characters.", field, help: "message.attachments.content_id")
    }

    // MARK: Headers, categories, arguments, scheduling

    static func headerValues(_ field: String) -> SendGridError {
        error("The header values must be strings.", field, help: anchor(for: field))
    }

    static func headerDuplicate(_ field: String) -> SendGridError {
        error("The headers cannot contain duplicate keys.", field, help: anchor(for: field))
    }

    static func headerKeyCharacters(_ field: String) -> SendGridError {
        error("Header keys cannot contain non-ASCII characters and empty spaces.", field, help: anchor(for: field))
    }

    static func headerReserved(_ field: String) -> SendGridError {
        error("Header can not be one of the reserved keys.", field, help: anchor(for: field))
    }

    static func tooManyCategories(_ count: Int) -> SendGridError {
        error(
            "There is a limit of 10 categories for each email that is sent. You provided \(count) categories.", "categories",
            help: "message.categories")
    }

    static let categoriesNotStrings = error("Categories must be an array of strings.", "categories", help: "message.categories")

    static func categoryTooLong(_ category: String) -> SendGridError {
        error("Each category must not be longer than 255 characters. \(category) exceeds this limit", "categories", help: "message.categories")
    }

    static func categoryDuplicate(_ category: String) -> SendGridError {
        error(
            "The categories must be a unique list, and you have included \(category) more than once.", "categories",
            help: "message.categories")
    }

    static let categoryNonASCII = error("Categories can not contain non-ASCII characters.", "categories", help: "message.categories")

    static func customArgsNotStrings(_ field: String) -> SendGridError {
        error("All values of custom arguments object must be strings", field, help: anchor(for: field))
    }

    static func customArgsEmpty(_ field: String) -> SendGridError {
        error("custom_args cannot be empty.", field, help: anchor(for: field))
    }

    static func customArgsTooLarge(_ field: String) -> SendGridError {
        error(
            "The combined size of both global and personalization custom arguments may not exceed 10,000 bytes per personalization.",
            field, help: "message.personalizations.custom_args")
    }

    static func substitutionsNotStrings(_ field: String) -> SendGridError {
        error(
            "The substitution values must be an object of key/value pairs, where the values are all strings.", field,
            help: "message.personalizations.substitutions")
    }

    static func substitutionsTooMany(_ field: String) -> SendGridError {
        error("You are limited to 10,000 substitutions.", field, help: "message.personalizations.substitutions")
    }

    static func substitutionsTooLarge(_ field: String) -> SendGridError {
        error("Substitutions are limited to 10000 bytes per personalization", field, help: "message.personalizations.substitutions")
    }

    static func sendAtNotInteger(_ field: String) -> SendGridError {
        error(
            "The send_at parameter is expecting a Unix timestamp as an integer. We will send immediately if you include a send_at "
                + "timestamp that is in the past.",
            field, help: anchor(for: field))
    }

    static func sendAtTooFar(_ field: String) -> SendGridError {
        error("Scheduling more than 72 hours in advance is forbidden.", field, help: anchor(for: field))
    }

    // MARK: Other top-level fields

    static func templateIDNotString(provided: String) -> SendGridError {
        error("The template ID must be a string, you provided \(provided).", "template_id", help: "message.template_id")
    }

    static let batchIDNotString = error("The batch_id must be a string.", "batch_id", help: "message.batch_id")
    /// A string `batch_id` that `POST /v3/mail/batch` never made (the sandbox's wording).
    static let batchIDUnknown = error("The batch ID is not valid: create one with POST /v3/mail/batch.", "batch_id", help: "message.batch_id")
    static let asmGroupID = error("The ASM group ID must be an integer.", "asm.group_id", help: "message.asm.group_id")
    static let asmGroupsToDisplay = error(
        "The ASM Group IDs to display must be an array of integers.", "asm.groups_to_display", help: "message.asm.groups_to_display")
    static let asmGroupsToDisplayLimit = error(
        "There is a limit of 25 unsubscribe groups that can be displayed to a user at a time.", "asm.groups_to_display",
        help: "message.asm.groups_to_display")
    static let ipPoolNotString = error("The name of your IP pool must be a string.", "ip_pool_name", help: "message.ip_pool_name")

    static func ipPoolInvalid(_ name: String) -> SendGridError {
        error(
            "The IP Pool name must be a valid pool name for your account. You provided \(name).", "ip_pool_name",
            help: "message.ip_pool_name")
    }

    static let sectionValues = error("The section values must be strings.", "sections", help: "message.sections")

    /// A settings field that must have one JSON type: `(path, message)` from SendGrid's table.
    static func setting(_ field: String, _ message: String) -> SendGridError {
        error(message, field, help: anchor(for: field))
    }
}

/// The three recipient lists of a personalization.
enum RecipientKind: String, CaseIterable {
    case to, cc, bcc

    /// How SendGrid capitalises the list in "The To email exceeds ..." messages.
    var headerName: String {
        switch self {
        case .to: "To"
        case .cc: "CC"
        case .bcc: "BCC"
        }
    }

    var anchor: String { "message.personalizations." + rawValue }
}
