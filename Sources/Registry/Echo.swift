import MailroomCore

/// How error messages show a value a person sent: JSON-quoted and cut to 64 characters, and never
/// at all when it looks like a SendGrid key (a key pasted into `from_email` must not come back out).
enum Echo {
    static func quoted(_ text: String) -> String {
        if text.contains("SG.") { return "the value (not shown: it looks like an API key)" }
        let cut = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return JSONEscaping.quoted(cut)
    }

    /// A variable name or file path of a key reference, as is unless it holds something shaped like a key.
    static func reference(_ text: String) -> String {
        text.contains("SG.") ? "(not shown: it looks like it holds an API key)" : text
    }

    /// A field name someone sent, for an error's `field`: cut to 64 characters, never a key.
    static func field(_ name: String) -> String {
        if name.contains("SG.") { return "(a field named like an API key)" }
        let cut = name.count > 64 ? String(name.prefix(64)) + "…" : name
        let plain = cut.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" && $0 != "\\" }
        return plain ? cut : JSONEscaping.quoted(cut)
    }

    /// The path of a field someone sent (`data.from_email`, `data["a b"]`), each name shown as `field(_:)` shows it.
    static func path(_ components: [FieldPath.Component]) -> String {
        var path = ""
        for component in components {
            switch component {
            case .key(let name): path += (path.isEmpty ? "" : ".") + field(name)
            case .index(let position): path += "[\(position)]"
            }
        }
        return path.isEmpty ? "body" : path
    }
}
