import MailroomCore

extension MailValidator {
    /// A subject that is present must be a non-empty string.
    mutating func checkSubjectText(_ value: JSONTree, field: @autoclosure () -> String) {
        guard let text = value.string else {
            fail(SendGridMessages.invalidType(field(), expected: "string", given: value))
            return
        }
        if text.isEmpty { fail(SendGridMessages.subjectEmpty(field())) }
    }

    /// The message-level subject: required unless a template or every personalization supplies one.
    mutating func checkSubject(_ value: JSONTree?, hasTemplate: Bool, everyPersonalizationHasSubject: Bool) {
        if let value = Self.present(value) {
            checkSubjectText(value, field: "subject")
        } else if !hasTemplate && !everyPersonalizationHasSubject {
            fail(SendGridMessages.subjectRequired)
        }
    }

    mutating func checkContent(_ value: JSONTree?, hasTemplate: Bool) {
        guard let value = Self.present(value) else {
            if !hasTemplate { fail(SendGridMessages.contentRequired) }
            return
        }
        guard let parts = value.array else {
            fail(SendGridMessages.invalidType("content", expected: "array", given: value))
            return
        }
        if parts.isEmpty {
            if !hasTemplate { fail(SendGridMessages.contentRequired) }
            return
        }
        var types: [String?] = []
        for (index, part) in parts.enumerated() {
            guard case .object = part else {
                fail(SendGridMessages.invalidType("content.\(index)", expected: "object", given: part, help: "message.content"))
                types.append(nil)
                continue
            }
            types.append(checkContentType(part["type"], field: "content.\(index).type"))
            checkContentValue(part["value"], field: "content.\(index).value")
        }
        let plain = types.firstIndex { $0 == "text/plain" }
        let html = types.firstIndex { $0 == "text/html" }
        let plainMisplaced = plain.map { $0 != 0 } ?? false
        let htmlMisplaced = html.map { $0 != (plain == nil ? 0 : 1) } ?? false
        if plainMisplaced || htmlMisplaced { fail(SendGridMessages.contentOrder) }
    }

    /// Checks one content type; returns it lowercased when valid.
    private mutating func checkContentType(_ value: JSONTree?, field: @autoclosure () -> String) -> String? {
        guard let value = Self.present(value) else {
            fail(SendGridMessages.contentTypeRequired(field()))
            return nil
        }
        guard let type = value.string, !type.isEmpty else {
            fail(SendGridMessages.contentTypeEmpty(field()))
            return nil
        }
        if Self.hasHeaderBreakers(type) {
            fail(SendGridMessages.contentTypeCharacters(field()))
            return nil
        }
        return type.lowercased()
    }

    private mutating func checkContentValue(_ value: JSONTree?, field: @autoclosure () -> String) {
        guard let value = Self.present(value) else {
            fail(SendGridMessages.contentValueRequired(field()))
            return
        }
        guard let text = value.string, !text.isEmpty else {
            fail(SendGridMessages.contentValueEmpty(field()))
            return
        }
    }

    mutating func checkAttachments(_ value: JSONTree?) {
        guard let value = Self.present(value) else { return }
        guard let attachments = value.array else {
            fail(SendGridMessages.invalidType("attachments", expected: "array", given: value))
            return
        }
        for (index, attachment) in attachments.enumerated() {
            let field = "attachments.\(index)"
            guard case .object = attachment else {
                fail(SendGridMessages.invalidType(field, expected: "object", given: attachment, help: "message.attachments"))
                continue
            }
            checkAttachmentContent(attachment["content"], field: field + ".content")
            checkFilename(attachment["filename"], field: field + ".filename")
            if let type = Self.present(attachment["type"]) {
                if let text = type.string, !text.isEmpty {
                    if Self.hasHeaderBreakers(text) { fail(SendGridMessages.attachmentTypeCharacters(field + ".type")) }
                } else {
                    fail(SendGridMessages.attachmentTypeEmpty(field + ".type"))
                }
            }
            if let disposition = Self.present(attachment["disposition"]), disposition.string != "inline", disposition.string != "attachment" {
                fail(SendGridMessages.disposition(field + ".disposition", provided: disposition.string ?? JSONText.encode(disposition)))
            }
            if let contentID = Self.present(attachment["content_id"]) {
                if let text = contentID.string {
                    if Self.hasHeaderBreakers(text) { fail(SendGridMessages.contentIDCharacters(field + ".content_id")) }
                } else {
                    fail(SendGridMessages.contentIDNotString(field + ".content_id", provided: JSONText.encode(contentID)))
                }
            }
        }
    }

    private mutating func checkAttachmentContent(_ value: JSONTree?, field: String) {
        guard let text = Self.present(value)?.string, !text.isEmpty else {
            fail(SendGridMessages.attachmentContentEmpty(field))
            return
        }
        if !AttachmentRules.isBase64(text) { fail(SendGridMessages.attachmentNotBase64(field)) }
    }

    private mutating func checkFilename(_ value: JSONTree?, field: String) {
        guard let value = Self.present(value) else {
            fail(SendGridMessages.filenameRequired(field))
            return
        }
        guard let name = value.string else {
            fail(SendGridMessages.filenameNotString(field))
            return
        }
        if name.isEmpty {
            fail(SendGridMessages.filenameRequired(field))
        } else if Self.hasHeaderBreakers(name) {
            fail(SendGridMessages.filenameCharacters(field))
        }
    }
}
