import MailroomCore

extension MailValidator {
    /// Checks a `from` object (message-level or in a personalization); returns its address when valid.
    mutating func checkSender(_ value: JSONTree?, field: String) -> String? {
        let emailField = field + ".email"
        guard let value = Self.present(value) else {
            fail(SendGridMessages.fromRequired)
            return nil
        }
        guard case .object = value else {
            fail(SendGridMessages.invalidType(field, expected: "object", given: value, help: "message.from"))
            return nil
        }
        if let name = Self.present(value["name"]), name.string == nil {
            fail(SendGridMessages.invalidType(field + ".name", expected: "string", given: name, help: "message.from"))
        }
        guard let email = Self.present(value["email"]) else {
            fail(field == "from" ? SendGridMessages.fromRequired : SendGridMessages.fromInvalid(field))
            return nil
        }
        guard let address = email.string else {
            fail(SendGridMessages.invalidType(emailField, expected: "string", given: email, help: "message.from"))
            return nil
        }
        if address.isEmpty {
            fail(field == "from" ? SendGridMessages.fromRequired : SendGridMessages.fromInvalid(field))
            return nil
        }
        if address.utf8.count > MailLimits.maxAddressLength {
            fail(SendGridMessages.fromTooLong(emailField))
            return nil
        }
        guard AddressSyntax.isValid(address) else {
            fail(SendGridMessages.fromInvalid(field))
            return nil
        }
        return address
    }

    mutating func checkReplyTo(_ single: JSONTree?, list: JSONTree?) {
        let single = Self.present(single)
        let list = Self.present(list)
        if single != nil, list != nil {
            fail(SendGridMessages.replyToExclusive)
            return
        }
        if let single { checkReplyToObject(single) }
        if let list { checkReplyToList(list) }
    }

    private mutating func checkReplyToObject(_ value: JSONTree) {
        guard case .object = value else {
            fail(SendGridMessages.invalidType("reply_to", expected: "object", given: value))
            return
        }
        if let name = Self.present(value["name"]), name.string == nil {
            fail(SendGridMessages.invalidType("reply_to.name", expected: "string", given: name, help: "message.reply_to"))
        }
        guard let address = Self.present(value["email"])?.string, !address.isEmpty else {
            fail(SendGridMessages.replyToInvalid)
            return
        }
        if address.utf8.count > MailLimits.maxAddressLength {
            fail(SendGridMessages.replyToTooLong)
        } else if !AddressSyntax.isValid(address) {
            fail(SendGridMessages.replyToInvalid)
        }
    }

    private mutating func checkReplyToList(_ value: JSONTree) {
        guard let entries = value.array else {
            fail(SendGridMessages.invalidType("reply_to_list", expected: "array", given: value))
            return
        }
        if entries.count > 1000 {
            fail(SendGridMessages.replyToListTooMany)
            return
        }
        var seen = Set<String>()
        var duplicateReported = false
        for (index, entry) in entries.enumerated() {
            let field = "reply_to_list.\(index)"
            guard case .object = entry else {
                fail(SendGridMessages.replyToListEntry(field))
                continue
            }
            guard let email = Self.present(entry["email"]), let address = email.string, !address.isEmpty else {
                fail(SendGridMessages.replyToListEmailRequired(field + ".email"))
                continue
            }
            if address.utf8.count > MailLimits.maxAddressLength {
                fail(SendGridMessages.replyToListTooLong(field + ".email"))
            } else if !AddressSyntax.isValid(address) {
                fail(SendGridMessages.replyToListInvalid(field + ".email"))
            } else if !seen.insert(address.lowercased()).inserted, !duplicateReported {
                duplicateReported = true
                fail(SendGridMessages.replyToListUnique)
            }
        }
    }
}
