/// `to`, `cc`, `bcc` and `reply_to`: the address forms, the recipient limit, and dropping repeats.
extension JobParser {
    static let addressFields: Set<String> = ["email", "name"]

    /// Reads to, cc and bcc, drops addresses already seen (compared without case; the first place wins, in the
    /// order to, cc, bcc), and checks that 1 to MailLimits.maxRecipients remain.
    static func recipients(_ root: JSONObject, into job: inout Job) throws(JobValidationError) {
        guard let toValue = optional(root["to"]) else {
            throw JobValidationError(field: "to", "is required: one address or a list of addresses")
        }
        let to = try addressList(toValue, at: "to")
        if to.isEmpty { throw JobValidationError(field: "to", "needs at least one address") }
        let cc = try optional(root["cc"]).map { value throws(JobValidationError) in try addressList(value, at: "cc") } ?? []
        let bcc = try optional(root["bcc"]).map { value throws(JobValidationError) in try addressList(value, at: "bcc") } ?? []

        var seen = Set<String>(minimumCapacity: to.count + cc.count + bcc.count)
        func unique(_ list: [EmailAddress], field: String) throws(JobValidationError) -> [EmailAddress] {
            var kept: [EmailAddress] = []
            kept.reserveCapacity(list.count)
            for address in list where seen.insert(address.email.lowercased()).inserted {
                if seen.count > MailLimits.maxRecipients {
                    throw JobValidationError(
                        field: field, "more than \(MailLimits.maxRecipients) distinct recipients in to, cc and bcc together")
                }
                kept.append(address)
            }
            return kept
        }
        job.to = try unique(to, field: "to")
        job.cc = try unique(cc, field: "cc")
        job.bcc = try unique(bcc, field: "bcc")
    }

    /// One address, or a list of them.
    static func addressList(_ value: JSONValue, at field: String) throws(JobValidationError) -> [EmailAddress] {
        switch value {
        case .array(let elements):
            var list: [EmailAddress] = []
            list.reserveCapacity(elements.count)
            for (position, element) in elements.enumerated() {
                list.append(try address(element, at: FieldPath.index(field, position)))
            }
            return list
        case .string, .object:
            return [try address(value, at: field)]
        default:
            throw typeError(field, expected: "an address or a list of addresses", got: value)
        }
    }

    /// `"ana@example.com"` or `{"email": "ana@example.com", "name": "Ana"}`.
    static func address(_ value: JSONValue, at field: String) throws(JobValidationError) -> EmailAddress {
        switch value {
        case .string(let email):
            try checkEmail(email, at: field)
            return EmailAddress(email: email)
        case .object(let members):
            try refuseUnknownKeys(members, known: addressFields, at: field, what: "an address")
            let emailField = FieldPath.key(field, "email")
            guard let emailValue = optional(members["email"]) else { throw JobValidationError(field: emailField, "is required") }
            let email = try string(emailValue, at: emailField)
            try checkEmail(email, at: emailField)
            var name: String?
            if let nameValue = optional(members["name"]) {
                let nameField = FieldPath.key(field, "name")
                let text = try string(nameValue, at: nameField)
                if let problem = AddressSyntax.displayNameProblem(text) {
                    throw JobValidationError(field: nameField, "\(problem): \(FieldPath.quoted(text))")
                }
                name = text.isEmpty ? nil : text
            }
            return EmailAddress(email: email, name: name)
        default:
            throw typeError(field, expected: "an address string or object", got: value)
        }
    }

    static func checkEmail(_ email: String, at field: String) throws(JobValidationError) {
        if let problem = AddressSyntax.problem(with: email) {
            throw JobValidationError(field: field, "not a valid email address: \(FieldPath.quoted(email)) \(problem)")
        }
    }
}
