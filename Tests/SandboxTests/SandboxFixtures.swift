import Foundation
import TestSupport

/// Bodies and helpers the sandbox tests share.
enum SandboxFixtures {
    /// A minimal body SendGrid accepts, to `to` (default `to@example.com`).
    static func validBody(to: String = "to@example.com", cc: String? = nil, sandboxMode: Bool = false, from: String = "from@example.com") -> String {
        var personalization = #"{"to":[{"email":"\#(to)"}]"#
        if let cc { personalization += #","cc":[{"email":"\#(cc)"}]"# }
        personalization += "}"
        let settings = sandboxMode ? #","mail_settings":{"sandbox_mode":{"enable":true}}"# : ""
        return #"{"personalizations":[\#(personalization)],"from":{"email":"\#(from)"},"subject":"Hi","#
            + #""content":[{"type":"text/plain","value":"Hello"}]\#(settings)}"#
    }

    /// One row of `fixtures/sendgrid-invalid-bodies.json`.
    struct InvalidBody {
        var name: String
        var body: Data
        var status: Int
        var message: String
        var field: String
    }

    static func invalidBodies() throws -> [InvalidBody] {
        let data = Data(try Fixtures.text("sendgrid-invalid-bodies.json").utf8)
        let rows = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return try rows.map { row in
            InvalidBody(
                name: row["name"] as? String ?? "?",
                body: try JSONSerialization.data(withJSONObject: row["body"] ?? [:]),
                status: row["status"] as? Int ?? 0,
                message: row["message"] as? String ?? "",
                field: row["field"] as? String ?? "")
        }
    }

    /// True when `id` looks like SendGrid's X-Message-Id: 22 URL-safe base64 characters.
    static func isMessageID(_ id: String?) -> Bool {
        guard let id, id.count == 22 else { return false }
        return id.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }
    }
}
