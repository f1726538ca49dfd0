/// Small helpers that take a JSON value apart, naming the field and the type found when it is the wrong one.
extension JobParser {
    /// The value of an optional field, with `null` read as absent.
    static func optional(_ value: JSONValue?) -> JSONValue? {
        if case .null? = value { return nil }
        return value
    }

    static func typeError(_ field: String, expected: String, got value: JSONValue) -> JobValidationError {
        JobValidationError(field: field, "expected \(expected), got \(value.typeName)")
    }

    static func string(_ value: JSONValue, at field: String) throws(JobValidationError) -> String {
        guard case .string(let text) = value else { throw typeError(field, expected: "a string", got: value) }
        return text
    }

    static func object(_ value: JSONValue, at field: String) throws(JobValidationError) -> JSONObject {
        guard case .object(let members) = value else { throw typeError(field, expected: "an object", got: value) }
        return members
    }

    /// Refuses keys of `members` outside `known`, in sorted order, naming the first.
    static func refuseUnknownKeys(_ members: JSONObject, known: Set<String>, at field: String, what: String) throws(JobValidationError) {
        guard members.count > known.count || members.contains(where: { !known.contains($0.key) }) else { return }
        for key in members.keys.sorted() where !known.contains(key) {
            let names = known.sorted().joined(separator: ", ")
            throw JobValidationError(field: FieldPath.key(field, key), "unknown field (\(what) takes \(names))")
        }
    }
}
