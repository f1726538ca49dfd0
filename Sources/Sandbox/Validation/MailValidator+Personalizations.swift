import MailroomCore

extension MailValidator {
    /// Checks `personalizations`; returns true when every personalization carries its own subject.
    ///
    /// Field paths are passed as autoclosures throughout the validator: they are only built when
    /// an error is reported, so a valid body costs no string building.
    mutating func checkPersonalizations(_ value: JSONTree?, globalArgs: [JSONMember]?) -> Bool {
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
        let globalArgsSize = globalArgs.map { JSONText.encodedSize(.object($0)) }
        for (index, item) in items.enumerated() {
            func field() -> String { "personalizations.\(index)" }
            guard case .object = item else {
                fail(SendGridMessages.invalidType(field(), expected: "object", given: item, help: "message.personalizations"))
                allHaveSubject = false
                continue
            }
            recipientCount += checkRecipients(item, field: field())
            if let subject = Self.present(item["subject"]) {
                checkSubjectText(subject, field: field() + ".subject")
            } else {
                allHaveSubject = false
            }
            if let sender = Self.present(item["from"]) { _ = checkSender(sender, field: field() + ".from") }
            checkHeaders(item["headers"], field: field() + ".headers")
            checkSubstitutions(item["substitutions"], field: field() + ".substitutions")
            if let data = Self.present(item["dynamic_template_data"]), data.members == nil {
                fail(SendGridMessages.invalidType(field() + ".dynamic_template_data", expected: "object", given: data))
            }
            let ownArgs = checkCustomArgs(item["custom_args"], field: field() + ".custom_args")
            let mergedSize = ownArgs.map { Self.mergedSize(global: globalArgs, own: $0) } ?? globalArgsSize
            if let mergedSize, mergedSize >= Self.maximumCustomArgsBytes {
                if ownArgs != nil {
                    fail(SendGridMessages.customArgsTooLarge(field() + ".custom_args"))
                } else if !globalArgsReported {
                    globalArgsReported = true
                    fail(SendGridMessages.customArgsTooLarge("custom_args"))
                }
            }
            checkSendAt(item["send_at"], field: field() + ".send_at")
        }
        if recipientCount > Self.maximumRecipients { fail(SendGridMessages.tooManyRecipients) }
        return allHaveSubject
    }

    /// Checks to/cc/bcc of one personalization, and duplicates across them; returns how many
    /// recipient entries it holds.
    private mutating func checkRecipients(_ personalization: JSONTree, field: @autoclosure () -> String) -> Int {
        var count = 0
        var seen = SeenAddresses()
        var duplicateReported = false
        for kind in RecipientKind.allCases {
            func listField() -> String { field() + "." + kind.rawValue }
            let list = Self.present(personalization[kind.rawValue])
            guard let list else {
                if kind == .to { fail(SendGridMessages.toRequired(listField())) }
                continue
            }
            guard let entries = list.array else {
                fail(SendGridMessages.invalidType(listField(), expected: "array", given: list, help: kind.anchor))
                continue
            }
            if entries.isEmpty {
                if kind == .to { fail(SendGridMessages.toRequired(listField())) }
                continue
            }
            count += entries.count
            for (index, entry) in entries.enumerated() {
                guard let address = checkRecipient(entry, kind: kind, field: "\(listField()).\(index)") else { continue }
                let key = address.lowercased()
                if seen.insert(key) {
                    recipients.append(key)
                } else if !duplicateReported {
                    duplicateReported = true
                    fail(SendGridMessages.duplicateRecipient(address, foundIn: listField(), personalization: field()))
                }
            }
        }
        return count
    }

    /// Checks one `{email, name}` recipient; returns the address when it is valid.
    private mutating func checkRecipient(_ entry: JSONTree, kind: RecipientKind, field: @autoclosure () -> String) -> String? {
        guard case .object = entry else {
            fail(SendGridMessages.invalidType(field(), expected: "object", given: entry, help: kind.anchor))
            return nil
        }
        if let name = Self.present(entry["name"]) {
            if let text = name.string {
                if !AddressSyntax.isValidDisplayName(text) { fail(SendGridMessages.recipientName(kind, field() + ".name")) }
            } else {
                fail(SendGridMessages.invalidType(field() + ".name", expected: "string", given: name, help: kind.anchor))
            }
        }
        guard let email = Self.present(entry["email"]) else {
            fail(SendGridMessages.recipientEmailRequired(kind, field() + ".email"))
            return nil
        }
        guard let address = email.string else {
            fail(SendGridMessages.invalidType(field() + ".email", expected: "string", given: email, help: kind.anchor))
            return nil
        }
        if address.isEmpty {
            fail(SendGridMessages.recipientEmailRequired(kind, field() + ".email"))
            return nil
        }
        if address.utf8.count > MailLimits.maxAddressLength {
            fail(SendGridMessages.recipientTooLong(kind, field() + ".email"))
            return nil
        }
        guard AddressSyntax.isValid(address) else {
            fail(SendGridMessages.invalidAddress(kind, field() + ".email"))
            return nil
        }
        return address
    }

    private mutating func checkSubstitutions(_ value: JSONTree?, field: @autoclosure () -> String) {
        guard let value = Self.present(value) else { return }
        guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
            fail(SendGridMessages.substitutionsNotStrings(field()))
            return
        }
        if members.count > Self.maximumSubstitutions {
            fail(SendGridMessages.substitutionsTooMany(field()))
        } else if JSONText.encodedSize(value) > Self.maximumSubstitutionBytes {
            fail(SendGridMessages.substitutionsTooLarge(field()))
        }
    }

    /// The encoded size of message-level `custom_args` merged with a personalization's (its keys win).
    static func mergedSize(global: [JSONMember]?, own: [JSONMember]) -> Int {
        var size = JSONText.encodedSize(.object(own))
        for member in global ?? [] where !own.contains(where: { $0.key == member.key }) {
            size += 1 + JSONText.encodedSize(.object([member])) - 2
        }
        return size
    }
}

/// Addresses seen in one personalization: a short array (most personalizations have one to three
/// recipients), switching to a set when it grows.
struct SeenAddresses {
    private var few: [String] = []
    private var many: Set<String>?

    /// Adds `address`; returns false when it was already there.
    mutating func insert(_ address: String) -> Bool {
        if many != nil { return many!.insert(address).inserted }
        if few.contains(address) { return false }
        few.append(address)
        if few.count > 16 { many = Set(few) }
        return true
    }
}
