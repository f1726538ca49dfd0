extension MailValidator {
    /// Checks `personalizations`; returns true when every personalization carries its own subject.
    mutating func checkPersonalizations(_ value: JSONTree?, globalArgs: [(key: String, value: JSONTree)]?) -> Bool {
        guard let value = Self.present(value) else {
            fail(SendGridMessages.personalizationsRequired)
            return false
        }
        guard let items = value.array else {
            fail(SendGridMessages.invalidType("personalizations", expected: "array", given: value))
            return false
        }
        if items.isEmpty {
            fail(SendGridMessages.personalizationsRequired)
            return false
        }
        if items.count > Self.maximumPersonalizations { fail(SendGridMessages.tooManyPersonalizations(items.count)) }
        var recipientCount = 0
        var allHaveSubject = true
        var globalArgsReported = false
        for (index, item) in items.enumerated() {
            let field = "personalizations.\(index)"
            guard case .object = item else {
                fail(SendGridMessages.invalidType(field, expected: "object", given: item, help: "message.personalizations"))
                allHaveSubject = false
                continue
            }
            recipientCount += checkRecipients(item, field: field)
            if let subject = Self.present(item["subject"]) {
                checkSubjectText(subject, field: field + ".subject")
            } else {
                allHaveSubject = false
            }
            if let sender = Self.present(item["from"]) { _ = checkSender(sender, field: field + ".from") }
            checkHeaders(item["headers"], field: field + ".headers")
            checkSubstitutions(item["substitutions"], field: field + ".substitutions")
            if let data = Self.present(item["dynamic_template_data"]), data.members == nil {
                fail(SendGridMessages.invalidType(field + ".dynamic_template_data", expected: "object", given: data))
            }
            let ownArgs = checkCustomArgs(item["custom_args"], field: field + ".custom_args")
            if let merged = Self.mergedSize(globalArgs, ownArgs), merged >= Self.maximumCustomArgsBytes {
                if ownArgs != nil {
                    fail(SendGridMessages.customArgsTooLarge(field + ".custom_args"))
                } else if !globalArgsReported {
                    globalArgsReported = true
                    fail(SendGridMessages.customArgsTooLarge("custom_args"))
                }
            }
            checkSendAt(item["send_at"], field: field + ".send_at")
        }
        if recipientCount > Self.maximumRecipients { fail(SendGridMessages.tooManyRecipients) }
        return allHaveSubject
    }

    /// Checks to/cc/bcc of one personalization, and duplicates across them; returns how many
    /// recipient entries it holds.
    private mutating func checkRecipients(_ personalization: JSONTree, field: String) -> Int {
        var count = 0
        var seen = Set<String>()
        var duplicateReported = false
        for kind in RecipientKind.allCases {
            let listField = field + "." + kind.rawValue
            let list = Self.present(personalization[kind.rawValue])
            guard let list else {
                if kind == .to { fail(SendGridMessages.toRequired(listField)) }
                continue
            }
            guard let entries = list.array else {
                fail(SendGridMessages.invalidType(listField, expected: "array", given: list, help: kind.anchor))
                continue
            }
            if entries.isEmpty {
                if kind == .to { fail(SendGridMessages.toRequired(listField)) }
                continue
            }
            count += entries.count
            for (index, entry) in entries.enumerated() {
                guard let address = checkRecipient(entry, kind: kind, field: "\(listField).\(index)") else { continue }
                let key = address.lowercased()
                if seen.insert(key).inserted {
                    recipients.append(key)
                } else if !duplicateReported {
                    duplicateReported = true
                    fail(SendGridMessages.duplicateRecipient(address, foundIn: listField, personalization: field))
                }
            }
        }
        return count
    }

    /// Checks one `{email, name}` recipient; returns the address when it is valid.
    private mutating func checkRecipient(_ entry: JSONTree, kind: RecipientKind, field: String) -> String? {
        guard case .object = entry else {
            fail(SendGridMessages.invalidType(field, expected: "object", given: entry, help: kind.anchor))
            return nil
        }
        if let name = Self.present(entry["name"]), name.string == nil {
            fail(SendGridMessages.invalidType(field + ".name", expected: "string", given: name, help: kind.anchor))
        }
        let emailField = field + ".email"
        guard let email = Self.present(entry["email"]) else {
            fail(SendGridMessages.recipientEmailRequired(kind, emailField))
            return nil
        }
        guard let address = email.string else {
            fail(SendGridMessages.invalidType(emailField, expected: "string", given: email, help: kind.anchor))
            return nil
        }
        if address.isEmpty {
            fail(SendGridMessages.recipientEmailRequired(kind, emailField))
            return nil
        }
        if address.utf8.count > AddressCheck.maximumLength {
            fail(SendGridMessages.recipientTooLong(kind, emailField))
            return nil
        }
        guard AddressCheck.isValid(address) else {
            fail(SendGridMessages.invalidAddress(kind, emailField))
            return nil
        }
        return address
    }

    private mutating func checkSubstitutions(_ value: JSONTree?, field: String) {
        guard let value = Self.present(value) else { return }
        guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
            fail(SendGridMessages.substitutionsNotStrings(field))
            return
        }
        if members.count > Self.maximumSubstitutions {
            fail(SendGridMessages.substitutionsTooMany(field))
        } else if JSONText.encode(value).utf8.count > Self.maximumSubstitutionBytes {
            fail(SendGridMessages.substitutionsTooLarge(field))
        }
    }

    /// The encoded size of message-level `custom_args` merged with a personalization's (its keys
    /// win), or nil when neither exists.
    static func mergedSize(_ global: [(key: String, value: JSONTree)]?, _ own: [(key: String, value: JSONTree)]?) -> Int? {
        guard global != nil || own != nil else { return nil }
        var merged = own ?? []
        let ownKeys = Set(merged.map(\.key))
        for member in global ?? [] where !ownKeys.contains(member.key) { merged.append(member) }
        return JSONText.encode(.object(merged)).utf8.count
    }
}
