import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

@Suite("Payload builder: structure")
struct PayloadBuilderTests {
    @Test func bookingFixtureBecomesOnePersonalizationWithConfigSenderAndBothParts() throws {
        let job = try PayloadFixtures.job("booking-confirmed")
        let body = try PayloadFixtures.body(job, id: "booking-991")
        let personalization = try PayloadFixtures.personalization(body)

        #expect(PayloadFixtures.addresses(personalization["to"]) == job.to)
        #expect(personalization["cc"] == nil && personalization["bcc"] == nil)
        let from = try #require(body["from"] as? [String: Any])
        #expect(from["email"] as? String == PayloadFixtures.sender.email)
        #expect(from["name"] as? String == PayloadFixtures.sender.name)
        #expect(body["subject"] as? String == job.subject)
        let content = try #require(body["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/plain", "text/html"])
        #expect(content.map { $0["value"] } == [job.text, job.html])
        #expect(body["categories"] as? [String] == job.categories)
        let arguments = try #require(body["custom_args"] as? [String: String])
        #expect(arguments["booking_id"] == job.customArgs["booking_id"])
        #expect(arguments["mailroom_job"] == "booking-991")
        #expect(body["mail_settings"] == nil)
        #expect(body["template_id"] == nil)
    }

    @Test func sandboxModeIsABooleanInMailSettings() throws {
        let job = try PayloadFixtures.job("booking-confirmed")
        let data = try PayloadBuilder.build(job: job, jobID: "j", from: PayloadFixtures.sender, sandboxMode: true)
        // JSONValue keeps JSON's types apart: a boolean, not 1 or "true".
        let body = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(body["mail_settings"]?["sandbox_mode"]?["enable"] == .bool(true))
        #expect(body["mail_settings"]?.objectValue?.count == 1)
    }

    @Test func passwordResetFixtureCarriesItsHeaderAndOnlyThePlainPart() throws {
        let job = try PayloadFixtures.job("password-reset")
        let body = try PayloadFixtures.body(job)
        #expect(body["headers"] as? [String: String] == job.headers)
        #expect(!job.headers.isEmpty)
        let content = try #require(body["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/plain"])
        #expect(PayloadFixtures.addresses(try PayloadFixtures.personalization(body)["to"]).map(\.email) == ["joao@example.com"])
    }

    @Test func templateFixturePutsDynamicDataInThePersonalizationAndSendsNoContent() throws {
        let job = try PayloadFixtures.job("template-welcome")
        let body = try PayloadFixtures.body(job)
        let personalization = try PayloadFixtures.personalization(body)
        #expect(body["template_id"] as? String == job.templateID)
        #expect(body["content"] == nil)
        #expect(body["subject"] == nil)
        #expect(body["dynamic_template_data"] == nil)
        let data = try #require(personalization["dynamic_template_data"] as? [String: String])
        #expect(data["first_name"] == "Maria")
        #expect(data.count == job.dynamicTemplateData?.count)
        #expect(PayloadFixtures.addresses(personalization["bcc"]).map(\.email) == job.bcc.map(\.email))
    }

    @Test func attachmentFixtureKeepsEveryAttachmentField() throws {
        let job = try PayloadFixtures.job("with-attachment")
        let body = try PayloadFixtures.body(job)
        let attachments = try #require(body["attachments"] as? [[String: String]])
        let expected = try #require(job.attachments.first)
        #expect(attachments.count == 1)
        #expect(attachments[0]["filename"] == expected.filename)
        #expect(attachments[0]["content"] == expected.content)
        #expect(attachments[0]["type"] == expected.type)
        #expect(attachments[0]["disposition"] == expected.disposition)
        #expect(attachments[0]["content_id"] == nil)
    }

    @Test func emptyPartsAreLeftOutAndPlainTextStaysFirst() throws {
        var job = PayloadFixtures.simpleJob()
        job.text = ""
        job.html = "<p>only html</p>"
        var content = try #require(try PayloadFixtures.body(job)["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/html"])

        job.text = "plain"
        job.html = ""
        content = try #require(try PayloadFixtures.body(job)["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/plain"])

        job.html = "<p>x</p>"
        content = try #require(try PayloadFixtures.body(job)["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/plain", "text/html"])
    }

    @Test func anAddressRepeatedAcrossListsIsSentOnceWhereItFirstAppears() throws {
        let job = Job(
            to: [EmailAddress(email: "ana@example.com"), EmailAddress(email: "ANA@example.com")],
            cc: [EmailAddress(email: "Ana@Example.com"), EmailAddress(email: "bo@example.com")],
            bcc: [EmailAddress(email: "BO@example.com"), EmailAddress(email: "cy@example.com"), EmailAddress(email: "ana@EXAMPLE.com")],
            subject: "s", text: "t")
        let personalization = try PayloadFixtures.personalization(try PayloadFixtures.body(job))
        #expect(PayloadFixtures.addresses(personalization["to"]).map(\.email) == ["ana@example.com"])
        #expect(PayloadFixtures.addresses(personalization["cc"]).map(\.email) == ["bo@example.com"])
        #expect(PayloadFixtures.addresses(personalization["bcc"]).map(\.email) == ["cy@example.com"])
        let all = ["to", "cc", "bcc"].flatMap { PayloadFixtures.addresses(personalization[$0]).map { $0.email.lowercased() } }
        #expect(Set(all).count == all.count)
    }

    @Test func replyToSendAtAndNamesAreCarried() throws {
        let now = Date()
        var job = PayloadFixtures.simpleJob()
        job.replyTo = EmailAddress(email: "help@example.com", name: "Help Desk")
        job.sendAt = Int(now.timeIntervalSince1970) + 3600
        job.cc = [EmailAddress(email: "carol@example.com", name: "Carol")]
        let body = try PayloadFixtures.body(job, now: now)
        let replyTo = try #require(body["reply_to"] as? [String: String])
        #expect(replyTo == ["email": "help@example.com", "name": "Help Desk"])
        #expect(body["send_at"] as? Int == job.sendAt)
        let personalization = try PayloadFixtures.personalization(body)
        #expect(PayloadFixtures.addresses(personalization["cc"]) == job.cc)
        #expect(PayloadFixtures.addresses(personalization["to"]) == job.to)
    }

    @Test func theJobIDWinsOverAJobSuppliedMailroomJobArgument() throws {
        var job = PayloadFixtures.simpleJob()
        job.customArgs = ["mailroom_job": "forged", "tenant": "7"]
        let arguments = try #require(try PayloadFixtures.body(job, id: "real-id")["custom_args"] as? [String: String])
        #expect(arguments == ["mailroom_job": "real-id", "tenant": "7"])
    }

    @Test func theSenderAlwaysComesFromTheConfig() throws {
        let sender = EmailAddress(email: "noreply@tenant.example.org", name: nil)
        let body = try PayloadFixtures.body(PayloadFixtures.simpleJob(), from: sender)
        #expect(body["from"] as? [String: String] == ["email": "noreply@tenant.example.org"])
    }

    @Test func textSurvivesEscapingExactly() throws {
        let tricky = "quote \" backslash \\ slash / tab \t nul \u{0} bell \u{7} del \u{7F} é 日本 🎉 \u{2028}"
        var job = PayloadFixtures.simpleJob()
        job.text = tricky + "\r\nsecond line"
        job.html = "<p>\(tricky)</p>"
        job.to[0].name = "Zoë \"Z\" Ñandú"
        job.customArgs = ["k\"ey": tricky]
        job.templateID = nil
        let body = try PayloadFixtures.body(job)
        let content = try #require(body["content"] as? [[String: String]])
        #expect(content[0]["value"] == job.text)
        #expect(content[1]["value"] == job.html)
        #expect(PayloadFixtures.addresses(try PayloadFixtures.personalization(body)["to"])[0].name == job.to[0].name)
        #expect((body["custom_args"] as? [String: String])?["k\"ey"] == tricky)
    }

    @Test func dynamicTemplateDataKeepsNestedValuesAndTypes() throws {
        var job = PayloadFixtures.simpleJob()
        job.templateID = "d-abc"
        job.dynamicTemplateData = [
            "count": .number(3), "ratio": .number(0.25), "ok": .bool(true), "none": .null,
            "items": .array([.string("a"), .object(["n": .number(-7)])]),
        ]
        let personalization = try PayloadFixtures.personalization(try PayloadFixtures.body(job))
        let data = try #require(personalization["dynamic_template_data"] as? [String: Any])
        #expect(data["count"] as? Int == 3)
        #expect(data["ratio"] as? Double == 0.25)
        #expect(data["ok"] as? Bool == true)
        #expect(data["none"] is NSNull)
        let items = try #require(data["items"] as? [Any])
        #expect(items.first as? String == "a")
        #expect((items.last as? [String: Int])?["n"] == -7)
    }

    @Test func aThousandRecipientsAreAllowed() throws {
        let job = Job(to: (0..<1000).map { EmailAddress(email: "user\($0)@example.com") }, subject: "s", text: "t")
        let personalization = try PayloadFixtures.personalization(try PayloadFixtures.body(job))
        #expect(PayloadFixtures.addresses(personalization["to"]).count == 1000)
    }
}
