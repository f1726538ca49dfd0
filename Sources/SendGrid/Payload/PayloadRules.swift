import MailroomCore

/// The Mail Send rules the builder checks before anything is sent (reference `sendgrid-v3.md` §3).
///
/// The rules themselves live in MailroomCore (`AddressSyntax`, `HeaderRules`, `AttachmentRules`,
/// `CategoryRules`, `MailLimits`), shared with the job parser and the sandbox, so all three refuse
/// exactly the same things. This file only turns a broken rule into a reason.
enum PayloadRules {
    /// Why `address` is not an address SendGrid takes, or nil when it is.
    static func addressProblem(_ address: String) -> String? {
        AddressSyntax.isValid(address) ? nil : "is not a valid email address"
    }

    /// Why `name` cannot be a recipient's display name (`;`, `,` or a control character), or nil.
    static func recipientNameProblem(_ name: String) -> String? {
        AddressSyntax.isValidDisplayName(name) ? nil : "may not contain ';', ',' or control characters"
    }

    /// Why `text` cannot go into a header, a subject or a sender's name (CR, LF or another control character), or nil.
    static func headerValueProblem(_ text: String) -> String? {
        HeaderRules.isValidValue(text) ? nil : "may not contain line breaks or control characters"
    }

    /// Why `name` cannot be a custom header's name, or nil.
    static func headerNameProblem(_ name: String) -> String? {
        if !HeaderRules.isValidName(name) { return "header names are printable ASCII without spaces or colons" }
        if HeaderRules.isReserved(name) { return "is a header SendGrid reserves and cannot be set" }
        return nil
    }

    /// Why a MIME type, file name or content id cannot be used (empty, `;`, line breaks), or nil.
    static func attachmentParameterProblem(_ text: String) -> String? {
        AttachmentRules.isValidParameter(text) ? nil : "must be non-empty, without ';', line breaks or control characters"
    }

    /// Why `category` cannot be sent, or nil.
    static func categoryProblem(_ category: String) -> String? {
        CategoryRules.isValid(category) ? nil : "must be 1 to \(MailLimits.maxCategoryLength) printable ASCII characters"
    }

    /// The size SendGrid counts for `custom_args`: the object encoded as compact JSON, in bytes.
    static func customArgsSize(_ arguments: [String: String]) -> Int {
        var writer = JSONWriter(reservingCapacity: 256)
        writer.stringObject(arguments)
        return writer.bytes.count
    }
}
