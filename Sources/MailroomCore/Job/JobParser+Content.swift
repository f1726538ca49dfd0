/// Subject, bodies and templates: either `template_id`, or `subject` with `text`, `html` or both.
extension JobParser {
    static func content(_ root: JSONObject, into job: inout Job) throws(JobValidationError) {
        if let value = optional(root["subject"]) {
            let subject = try string(value, at: "subject")
            if subject.isEmpty { throw JobValidationError(field: "subject", "is empty") }
            if let problem = HeaderRules.valueProblem(subject) {
                throw JobValidationError(field: "subject", "\(problem): \(FieldPath.quoted(subject))")
            }
            job.subject = subject
        }
        job.text = try body(root["text"], at: "text")
        job.html = try body(root["html"], at: "html")
        if let value = optional(root["template_id"]) {
            let templateID = try string(value, at: "template_id")
            if templateID.isEmpty { throw JobValidationError(field: "template_id", "is empty") }
            if templateID.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
                throw JobValidationError(field: "template_id", "contains white space or a control character: \(FieldPath.quoted(templateID))")
            }
            job.templateID = templateID
        }
        if let value = optional(root["dynamic_template_data"]) {
            job.dynamicTemplateData = try object(value, at: "dynamic_template_data")
        }
        if job.templateID == nil {
            if job.subject == nil {
                throw JobValidationError(field: "subject", "is required unless the job names a template_id")
            }
            if job.text == nil && job.html == nil {
                throw JobValidationError(field: "text", "a job with a subject needs text, html or both (or a template_id)")
            }
        }
    }

    /// `text` or `html`: a string that is not empty (SendGrid refuses empty content; leave the field out instead).
    private static func body(_ value: JSONValue?, at field: String) throws(JobValidationError) -> String? {
        guard let value = optional(value) else { return nil }
        let text = try string(value, at: field)
        if text.isEmpty { throw JobValidationError(field: field, "is empty; leave it out instead (SendGrid refuses empty content)") }
        return text
    }
}
