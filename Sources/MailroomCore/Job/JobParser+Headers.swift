/// Custom `headers`: names SendGrid accepts, values that cannot inject header lines, no reserved names.
extension JobParser {
    static func headers(_ value: JSONValue?) throws(JobValidationError) -> [String: String] {
        guard let value = optional(value) else { return [:] }
        let members = try object(value, at: "headers")
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        var seen = Set<String>(minimumCapacity: members.count)
        for member in members.sorted(by: { $0.key < $1.key }) {
            let name = member.key
            let field = FieldPath.key("headers", name)
            guard HeaderRules.isValidName(name) else {
                throw JobValidationError(field: field, "is not a valid header name (printable ASCII only: no spaces, colons or control characters)")
            }
            let lowercased = name.lowercased()
            if HeaderRules.reservedNames.contains(lowercased) {
                throw JobValidationError(field: field, "is a reserved header that SendGrid sets itself and refuses")
            }
            guard seen.insert(lowercased).inserted else {
                throw JobValidationError(field: field, "repeats another header's name (header names are compared without case)")
            }
            let text = try string(member.value, at: field)
            if let problem = HeaderRules.valueProblem(text) {
                throw JobValidationError(field: field, "\(problem): \(FieldPath.quoted(text))")
            }
            result[name] = text
        }
        return result
    }
}
