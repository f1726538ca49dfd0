/// The rules for `categories` SendGrid enforces (count limit in MailLimits), shared by the job parser and the sandbox.
public enum CategoryRules {
    /// Whether `category` is 1 to MailLimits.maxCategoryLength printable ASCII characters.
    public static func isValid(_ category: String) -> Bool {
        problem(with: category) == nil
    }

    static func problem(with category: String) -> String? {
        let bytes = category.utf8
        if bytes.isEmpty { return "is empty" }
        if let byte = bytes.first(where: { $0 < 0x20 || $0 > 0x7E }) {
            return byte >= 0x80 ? "contains a non-ASCII character (SendGrid takes ASCII only)" : "contains a control character"
        }
        if bytes.count > MailLimits.maxCategoryLength {
            return "is \(bytes.count) characters long; at most \(MailLimits.maxCategoryLength)"
        }
        return nil
    }
}
