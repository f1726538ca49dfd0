import MailroomCore

extension MailValidator {
    /// Returns true when the body names a template (a non-empty `template_id` string).
    mutating func checkTemplateID(_ value: JSONTree?) -> Bool {
        guard let value = Self.present(value) else { return false }
        guard let id = value.string else {
            fail(SendGridMessages.templateIDNotString(provided: JSONText.encode(value)))
            return false
        }
        return !id.isEmpty
    }

    mutating func checkHeaders(_ value: JSONTree?, field: @autoclosure () -> String) {
        guard let value = Self.present(value) else { return }
        guard let members = value.members else {
            fail(SendGridMessages.invalidType(field(), expected: "object", given: value))
            return
        }
        var names = Set<String>()
        var valuesReported = false
        var keysReported = false
        var reservedReported = false
        var duplicateReported = false
        for member in members {
            if member.value.string == nil, !valuesReported {
                valuesReported = true
                fail(SendGridMessages.headerValues(field()))
            }
            let name = member.key
            if !HeaderRules.isValidName(name) {
                if !keysReported {
                    keysReported = true
                    fail(SendGridMessages.headerKeyCharacters(field()))
                }
                continue
            }
            let lowered = name.lowercased()
            if HeaderRules.reservedNames.contains(lowered), !reservedReported {
                reservedReported = true
                fail(SendGridMessages.headerReserved(field()))
            }
            if !names.insert(lowered).inserted, !duplicateReported {
                duplicateReported = true
                fail(SendGridMessages.headerDuplicate(field()))
            }
        }
    }

    mutating func checkCategories(_ value: JSONTree?) {
        guard let value = Self.present(value) else { return }
        guard let items = value.array else {
            fail(SendGridMessages.categoriesNotStrings)
            return
        }
        if items.count > MailLimits.maxCategories {
            fail(SendGridMessages.tooManyCategories(items.count))
            return
        }
        var seen = Set<String>()
        for item in items {
            guard let category = item.string else {
                fail(SendGridMessages.categoriesNotStrings)
                return
            }
            if category.utf8.count > MailLimits.maxCategoryLength, Self.isASCII(category) {
                fail(SendGridMessages.categoryTooLong(category))
                return
            }
            if !Self.isASCII(category) {
                fail(SendGridMessages.categoryNonASCII)
                return
            }
            if !seen.insert(category).inserted {
                fail(SendGridMessages.categoryDuplicate(category))
                return
            }
        }
    }

    /// Checks a `custom_args` object (values must be strings, not empty); returns its members.
    mutating func checkCustomArgs(_ value: JSONTree?, field: @autoclosure () -> String) -> [JSONMember]? {
        guard let value = Self.present(value) else { return nil }
        guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
            fail(SendGridMessages.customArgsNotStrings(field()))
            return nil
        }
        if members.isEmpty {
            fail(SendGridMessages.customArgsEmpty(field()))
            return nil
        }
        return members
    }

    mutating func checkSendAt(_ value: JSONTree?, field: @autoclosure () -> String) {
        guard let value = Self.present(value) else { return }
        guard let sendAt = value.integer else {
            fail(SendGridMessages.sendAtNotInteger(field()))
            return
        }
        if sendAt > now + Self.maximumScheduleAhead { fail(SendGridMessages.sendAtTooFar(field())) }
    }

    /// `batch_id`, `asm` and `ip_pool_name`: only their shape can be checked without an account.
    mutating func checkAccountFields(_ body: JSONTree) {
        if let batch = Self.present(body["batch_id"]), batch.string == nil { fail(SendGridMessages.batchIDNotString) }
        if let asm = Self.present(body["asm"]) {
            if case .object = asm {
                if Self.present(asm["group_id"])?.integer == nil { fail(SendGridMessages.asmGroupID) }
                if let groups = Self.present(asm["groups_to_display"]) {
                    if let items = groups.array, items.allSatisfy({ $0.integer != nil }) {
                        if items.count > 25 { fail(SendGridMessages.asmGroupsToDisplayLimit) }
                    } else {
                        fail(SendGridMessages.asmGroupsToDisplay)
                    }
                }
            } else {
                fail(SendGridMessages.invalidType("asm", expected: "object", given: asm))
            }
        }
        if let pool = Self.present(body["ip_pool_name"]) {
            if let name = pool.string {
                if !(2...64).contains(name.count) { fail(SendGridMessages.ipPoolInvalid(name)) }
            } else {
                fail(SendGridMessages.ipPoolNotString)
            }
        }
    }

    /// Legacy `sections`: values must be strings.
    mutating func checkSections(_ value: JSONTree?) {
        guard let value = Self.present(value) else { return }
        guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
            fail(SendGridMessages.sectionValues)
            return
        }
    }
}
