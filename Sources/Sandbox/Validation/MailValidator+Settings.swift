import MailroomCore

extension MailValidator {
    /// The JSON type a settings field must have.
    enum SettingType {
        case boolean, string
    }

    /// `(setting, field, type, message)` rows from SendGrid's error table for `mail_settings`.
    static let mailSettingRules: [(String, String, SettingType, String)] = [
        ("bypass_list_management", "enable", .boolean, "The bypass list management enable param should be a boolean value."),
        ("bypass_spam_management", "enable", .boolean, "The bypass spam management enable param should be a boolean value."),
        ("bypass_bounce_management", "enable", .boolean, "The bypass bounce management enable param should be a boolean value."),
        ("bypass_unsubscribe_management", "enable", .boolean, "The bypass unsubscribe management enable param should be a boolean value."),
        ("footer", "enable", .boolean, "The footer enable param should be a boolean value."),
        ("footer", "text", .string, "The text/plain version of your footer should be a string."),
        ("footer", "html", .string, "The text/html version of your footer should be a string."),
        ("sandbox_mode", "enable", .boolean, "The sandbox mode enable param should be a boolean value."),
        ("spam_check", "enable", .boolean, "The spam check enable param should be a boolean value."),
        ("spam_check", "post_to_url", .string, "The spam check url must be a string."),
        ("bcc", "enable", .boolean, "The bcc enable param should be a boolean value."),
    ]

    /// The same for `tracking_settings`.
    static let trackingSettingRules: [(String, String, SettingType, String)] = [
        ("click_tracking", "enable", .boolean, "The click tracking enable param should be a boolean value."),
        ("click_tracking", "enable_text", .boolean, "The click tracking enable text must be a boolean value."),
        ("open_tracking", "enable", .boolean, "The open tracking enable param should be a boolean value."),
        ("open_tracking", "substitution_tag", .string, "The open tracking substitution tag must be a string."),
        ("subscription_tracking", "enable", .boolean, "The subscription tracking enable param should be a boolean value."),
        ("subscription_tracking", "text", .string, "The subscription tracking unsubscribe content for text/plain messages must be a string."),
        ("subscription_tracking", "html", .string, "The subscription tracking unsubscribe content for text/html messages must be a string."),
        ("subscription_tracking", "substitution_tag", .string, "The subscription tracking substitution tag must be a string value."),
        ("ganalytics", "enable", .boolean, "The Google Analytics enable param must be a boolean value."),
        ("ganalytics", "utm_source", .string, "The Google Analytics utm_source must be a string value."),
        ("ganalytics", "utm_medium", .string, "The Google Analytics utm_medium must be a string value."),
        ("ganalytics", "utm_term", .string, "The Google Analytics utm_term must be a string value."),
        ("ganalytics", "utm_content", .string, "The Google Analytics utm_content must be a string value."),
        ("ganalytics", "utm_campaign", .string, "The Google Analytics utm_campaign must be a string value."),
    ]

    /// Checks `mail_settings`; returns true when sandbox mode is on.
    mutating func checkMailSettings(_ value: JSONTree?) -> Bool {
        guard let value = Self.present(value) else { return false }
        guard case .object = value else {
            fail(SendGridMessages.invalidType("mail_settings", expected: "object", given: value))
            return false
        }
        checkSettings(value, group: "mail_settings", rules: Self.mailSettingRules)
        checkSpamCheck(value["spam_check"])
        checkLegacyBcc(value["bcc"])
        return value["sandbox_mode"]?["enable"]?.bool == true
    }

    mutating func checkTrackingSettings(_ value: JSONTree?) {
        guard let value = Self.present(value) else { return }
        guard case .object = value else {
            fail(SendGridMessages.invalidType("tracking_settings", expected: "object", given: value))
            return
        }
        checkSettings(value, group: "tracking_settings", rules: Self.trackingSettingRules)
    }

    private mutating func checkSettings(_ settings: JSONTree, group: String, rules: [(String, String, SettingType, String)]) {
        var reportedObjects = Set<String>()
        for (name, key, type, message) in rules {
            guard let setting = Self.present(settings[name]) else { continue }
            guard case .object = setting else {
                if reportedObjects.insert(name).inserted {
                    fail(SendGridMessages.invalidType("\(group).\(name)", expected: "object", given: setting))
                }
                continue
            }
            guard let field = Self.present(setting[key]) else { continue }
            let matches =
                switch type {
                case .boolean: field.bool != nil
                case .string: field.string != nil
                }
            if !matches { fail(SendGridMessages.setting("\(group).\(name).\(key)", message)) }
        }
    }

    /// Legacy spam check: threshold 1–10 and an http(s) URL when enabled.
    private mutating func checkSpamCheck(_ value: JSONTree?) {
        guard let value = Self.present(value), case .object = value else { return }
        let enabled = value["enable"]?.bool == true
        if let threshold = Self.present(value["threshold"]) {
            if !(1...10).contains(threshold.integer ?? 0) {
                fail(
                    SendGridMessages.setting(
                        "mail_settings.spam_check.threshold",
                        "The spam check threshold is between 1 and 10, with the lower numbers being the most strict filtering."))
            }
        } else if enabled {
            fail(
                SendGridMessages.setting(
                    "mail_settings.spam_check.threshold", "You must include the spam check threshold  when using the spam check mail setting."))
        }
        if let url = Self.present(value["post_to_url"])?.string {
            if !url.hasPrefix("http://") && !url.hasPrefix("https://") {
                fail(
                    SendGridMessages.setting(
                        "mail_settings.spam_check.post_to_url", "The `post_to_url` parameter must start with `http://` or `https://`."))
            }
        } else if enabled, Self.present(value["post_to_url"]) == nil {
            fail(
                SendGridMessages.setting(
                    "mail_settings.spam_check.post_to_url", "You must include the url to post to when using the spam check mail setting."))
        }
    }

    /// Legacy BCC setting: when enabled it needs a valid address.
    private mutating func checkLegacyBcc(_ value: JSONTree?) {
        guard let value = Self.present(value), case .object = value, value["enable"]?.bool == true else { return }
        guard let email = Self.present(value["email"]) else {
            fail(SendGridMessages.setting("mail_settings.bcc.email", "You must include a recipient object when using the bcc mail setting."))
            return
        }
        if let address = email.string, address.utf8.count <= MailLimits.maxAddressLength, AddressSyntax.isValid(address) { return }
        fail(
            SendGridMessages.setting(
                "mail_settings.bcc.email",
                "The bcc email recipient object must at least have an email address and may also contain a name. "
                    + "e.g. {\"email\": \"example@example.com\"} or {\"email\": \"example@example.com\", \"name\": \"Example Recipient\"}"))
    }
}
