import Foundation
import MailroomCore
import TestSupport
import Testing

@Suite struct JobFixtureTests {
    static let fixtures = ["booking-confirmed.json", "password-reset.json", "template-welcome.json", "with-attachment.json"]

    /// Every fixture job parses, and the model holds what the file says (read independently with JSONSerialization).
    @Test(arguments: fixtures)
    func fixtureJobParsesToWhatTheFileSays(name: String) throws {
        let text = try Fixtures.text("jobs/" + name)
        let job = try JobParser.parse(Data(text.utf8))
        let object = try Fixtures.object(text)

        #expect(job.to.map(\.email) == Self.emails(object["to"]))
        #expect(job.cc.map(\.email) == Self.emails(object["cc"]))
        #expect(job.bcc.map(\.email) == Self.emails(object["bcc"]))
        #expect(job.subject == object["subject"] as? String)
        #expect(job.text == object["text"] as? String)
        #expect(job.html == object["html"] as? String)
        #expect(job.templateID == object["template_id"] as? String)
        #expect(job.categories == (object["categories"] as? [String] ?? []))
        #expect(job.customArgs == (object["custom_args"] as? [String: String] ?? [:]))
        #expect(job.headers == (object["headers"] as? [String: String] ?? [:]))
        let attachments = object["attachments"] as? [[String: String]] ?? []
        #expect(job.attachments.map(\.filename) == attachments.map { $0["filename"] ?? "" })
        #expect(job.attachments.map(\.content) == attachments.map { $0["content"] ?? "" })
        if let data = object["dynamic_template_data"] as? [String: String] {
            #expect(job.dynamicTemplateData == JSONObject(data.mapValues { JSONValue.string($0) }))
        } else {
            #expect(job.dynamicTemplateData == nil)
        }
    }

    /// Addresses as `"a@x"`, `{"email": ...}`, or a list of either.
    static func emails(_ value: Any?) -> [String] {
        switch value {
        case let text as String: [text]
        case let object as [String: Any]: [object["email"] as? String ?? ""]
        case let list as [Any]: list.flatMap { emails($0) }
        default: []
        }
    }
}
