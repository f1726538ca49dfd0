import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Each case breaks one SendGrid rule in an otherwise valid job; the builder must refuse it,
/// naming the field, before anything is sent.
@Suite("Payload builder: refusals")
struct PayloadRefusalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let field: String
        let mutate: @Sendable (inout Job) -> Void
        var testDescription: String { name }
    }

    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static let cases: [Case] = [
        Case(name: "no recipients", field: "to") { $0.to = [] },
        Case(name: "1001 recipients", field: "to") { job in
            job.cc = (0..<1000).map { EmailAddress(email: "cc\($0)@example.com") }
        },
        Case(name: "invalid to address", field: "to[0].email") { $0.to = [EmailAddress(email: "not-an-address")] },
        Case(name: "invalid bcc address", field: "bcc[1].email") {
            $0.bcc = [EmailAddress(email: "a@example.com"), EmailAddress(email: "b@@x.com")]
        },
        Case(name: "comma in a name", field: "to[0].name") { $0.to[0].name = "Souza, Ana" },
        Case(name: "semicolon in a cc name", field: "cc[0].name") { $0.cc = [EmailAddress(email: "c@example.com", name: "A;B")] },
        Case(name: "no subject without template", field: "subject") { $0.subject = nil },
        Case(name: "empty subject without template", field: "subject") { $0.subject = "" },
        Case(name: "no content without template", field: "text") { job in
            job.text = nil
            job.html = ""
        },
        Case(name: "line break in subject", field: "subject") { $0.subject = "Hi\r\nBcc: victim@example.com" },
        Case(name: "invalid reply_to", field: "reply_to.email") { $0.replyTo = EmailAddress(email: "help at example.com") },
        Case(name: "reserved header", field: "headers.Reply-To") { $0.headers = ["Reply-To": "x@example.com"] },
        Case(name: "reserved header in another case", field: "headers.dkim-SIGNATURE") { $0.headers = ["dkim-SIGNATURE": "x"] },
        Case(name: "header name with a space", field: "headers.X Bad") { $0.headers = ["X Bad": "1"] },
        Case(name: "line break in a header value", field: "headers.X-Ref") { $0.headers = ["X-Ref": "1\nBcc: v@example.com"] },
        Case(name: "eleven categories", field: "categories") { job in job.categories = (0..<11).map { "c\($0)" } },
        Case(name: "repeated category", field: "categories[1]") { $0.categories = ["a", "a"] },
        Case(name: "non-ASCII category", field: "categories[0]") { $0.categories = ["reserva-ção"] },
        Case(name: "category over 255", field: "categories[0]") { $0.categories = [String(repeating: "c", count: 256)] },
        Case(name: "send_at over 72 hours ahead", field: "send_at") { job in
            job.sendAt = Int(Self.now.timeIntervalSince1970) + 72 * 3600 + 1
        },
        Case(name: "negative send_at", field: "send_at") { $0.sendAt = -1 },
        Case(name: "attachment not base64", field: "attachments[0].content") { job in
            job.attachments = [Attachment(filename: "a.txt", content: "not base64!")]
        },
        Case(name: "attachment empty content", field: "attachments[0].content") { $0.attachments = [Attachment(filename: "a.txt", content: "")] },
        Case(name: "attachment without filename", field: "attachments[0].filename") { $0.attachments = [Attachment(filename: "", content: "QQ==")] },
        Case(name: "attachment filename with semicolon", field: "attachments[0].filename") { job in
            job.attachments = [Attachment(filename: "a;b.txt", content: "QQ==")]
        },
        Case(name: "attachment type with CRLF", field: "attachments[0].type") { job in
            job.attachments = [Attachment(filename: "a.txt", content: "QQ==", type: "text/plain\r\nX: y")]
        },
        Case(name: "attachment bad disposition", field: "attachments[0].disposition") { job in
            job.attachments = [Attachment(filename: "a.txt", content: "QQ==", disposition: "download")]
        },
        Case(name: "custom_args over 10,000 bytes", field: "custom_args") { $0.customArgs = ["big": String(repeating: "x", count: 9_990)] },
        Case(name: "empty template id", field: "template_id") { $0.templateID = "" },
        Case(name: "body of 30 MB", field: "attachments") { job in
            job.attachments = [Attachment(filename: "big.bin", content: String(repeating: "QUFB", count: 7_500_000))]
        },
    ]

    @Test(arguments: cases)
    func refusesTheJobNamingTheField(_ testCase: Case) throws {
        var job = PayloadFixtures.simpleJob()
        #expect(PayloadFixtures.refusal(job, now: Self.now) == nil, "the base job must build")
        testCase.mutate(&job)
        let error = try #require(PayloadFixtures.refusal(job, now: Self.now))
        #expect(error.field == testCase.field)
        #expect(error.exitStatus == .dataError)
        #expect(error.description.contains(testCase.field))
    }

    @Test func aTemplateJobNeedsNeitherSubjectNorContent() {
        var job = PayloadFixtures.simpleJob()
        job.subject = nil
        job.text = nil
        job.templateID = "d-123"
        #expect(PayloadFixtures.refusal(job) == nil)
    }

    @Test func anInvalidConfigSenderIsRefusedNamingTheConfigField() {
        let error = PayloadFixtures.refusal(PayloadFixtures.simpleJob(), from: EmailAddress(email: "nobody"))
        #expect(error?.field == "from_email")
        let named = PayloadFixtures.refusal(PayloadFixtures.simpleJob(), from: EmailAddress(email: "a@example.com", name: "Ops\nBcc: x"))
        #expect(named?.field == "from_name")
    }

    @Test func sendAtExactlySeventyTwoHoursAheadIsAllowed() {
        var job = PayloadFixtures.simpleJob()
        job.sendAt = Int(Self.now.timeIntervalSince1970) + 72 * 3600
        #expect(PayloadFixtures.refusal(job, now: Self.now) == nil)
    }
}
