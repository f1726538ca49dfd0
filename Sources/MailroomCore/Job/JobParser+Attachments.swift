/// `attachments`: base64 content, a filename, and parameters SendGrid can put in a MIME header unchanged.
extension JobParser {
    static let attachmentFields: Set<String> = ["content", "filename", "type", "disposition", "content_id"]

    static func attachments(_ value: JSONValue?) throws(JobValidationError) -> [Attachment] {
        guard let value = optional(value) else { return [] }
        guard case .array(let elements) = value else { throw typeError("attachments", expected: "a list of attachment objects", got: value) }
        var result: [Attachment] = []
        result.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            result.append(try attachment(element, at: FieldPath.index("attachments", position)))
        }
        return result
    }

    private static func attachment(_ value: JSONValue, at field: String) throws(JobValidationError) -> Attachment {
        guard case .object(let members) = value else { throw typeError(field, expected: "an attachment object", got: value) }
        try refuseUnknownKeys(members, known: attachmentFields, at: field, what: "an attachment")

        let contentField = FieldPath.key(field, "content")
        guard let contentValue = optional(members["content"]) else { throw JobValidationError(field: contentField, "is required") }
        let content = try string(contentValue, at: contentField)
        if content.isEmpty { throw JobValidationError(field: contentField, "is empty") }
        guard AttachmentRules.isBase64(content) else {
            throw JobValidationError(
                field: contentField, "is not valid base64 (standard alphabet A-Z a-z 0-9 + /, '=' padding to a multiple of 4, no line breaks)")
        }

        let filenameField = FieldPath.key(field, "filename")
        guard let filenameValue = optional(members["filename"]) else { throw JobValidationError(field: filenameField, "is required") }
        let filename = try parameter(filenameValue, at: filenameField)

        let type = try optional(members["type"]).map { value throws(JobValidationError) in try parameter(value, at: FieldPath.key(field, "type")) }
        let disposition = try optional(members["disposition"]).map { value throws(JobValidationError) in
            let dispositionField = FieldPath.key(field, "disposition")
            let text = try string(value, at: dispositionField)
            guard AttachmentRules.dispositions.contains(text) else {
                throw JobValidationError(field: dispositionField, "must be \"attachment\" or \"inline\", got \(FieldPath.quoted(text))")
            }
            return text
        }
        let contentID = try optional(members["content_id"]).map { value throws(JobValidationError) in
            try parameter(value, at: FieldPath.key(field, "content_id"))
        }
        return Attachment(filename: filename, content: content, type: type, disposition: disposition, contentID: contentID)
    }

    private static func parameter(_ value: JSONValue, at field: String) throws(JobValidationError) -> String {
        let text = try string(value, at: field)
        if let problem = AttachmentRules.parameterProblem(text) {
            throw JobValidationError(field: field, "\(problem): \(FieldPath.quoted(text))")
        }
        return text
    }
}
