import Foundation
import MailroomCore
import Testing

@Suite struct RecipientTests {
    @Test func repeatedAddressesAreSentOnceWhereTheyFirstAppear() throws {
        var object = validJob()
        object["to"] = ["ana@example.com", "Bob@Example.com", "ANA@example.com"]
        object["cc"] = ["bob@example.com", "carla@example.com", "Carla@example.com"]
        object["bcc"] = ["carla@EXAMPLE.com", "dave@example.com", "ana@example.com"]
        let job = try #require(expectAccepted(object))
        #expect(job.to.map(\.email) == ["ana@example.com", "Bob@Example.com"])
        #expect(job.cc.map(\.email) == ["carla@example.com"])
        #expect(job.bcc.map(\.email) == ["dave@example.com"])
        #expect(job.recipientCount == 4)
    }

    @Test func theFirstOccurrenceKeepsItsName() throws {
        var object = validJob()
        object["to"] = [["email": "ana@example.com", "name": "Ana"], ["email": "ANA@example.com", "name": "Other"]]
        object["bcc"] = [["email": "Ana@Example.com", "name": "Third"]]
        let job = try #require(expectAccepted(object))
        #expect(job.to == [EmailAddress(email: "ana@example.com", name: "Ana")])
        #expect(job.bcc.isEmpty)
    }

    @Test func aThousandDistinctRecipientsAreAcceptedAndOneMoreIsNot() {
        var object = validJob()
        object["to"] = (0..<600).map { "to\($0)@example.com" }
        object["cc"] = (0..<399).map { "cc\($0)@example.com" }
        object["bcc"] = ["audit@example.com"]
        #expect(expectAccepted(object)?.recipientCount == MailLimits.maxRecipients)
        object["bcc"] = ["audit@example.com", "extra@example.com"]
        expectRefused(object, field: "bcc")
    }

    @Test func theLimitCountsRecipientsAfterRepeatsAreDropped() {
        var object = validJob()
        object["to"] = (0..<1000).map { "user\($0)@example.com" }
        object["cc"] = (0..<1000).map { "USER\($0)@example.com" }
        #expect(expectAccepted(object)?.recipientCount == 1000)
    }

    @Test func toMayBeOneAddressAStringOrAnObject() throws {
        var object = validJob()
        object["to"] = "ana@example.com"
        #expect(expectAccepted(object)?.to == [EmailAddress(email: "ana@example.com")])
        object["to"] = ["email": "ana@example.com", "name": "Ana Souza"]
        #expect(expectAccepted(object)?.to == [EmailAddress(email: "ana@example.com", name: "Ana Souza")])
        object["cc"] = "bob@example.com"
        object["reply_to"] = "help@example.com"
        let job = try #require(expectAccepted(object))
        #expect(job.cc == [EmailAddress(email: "bob@example.com")])
        #expect(job.replyTo == EmailAddress(email: "help@example.com"))
    }

    @Test func anEmptyNameIsNoName() {
        var object = validJob()
        object["to"] = [["email": "ana@example.com", "name": ""]]
        #expect(expectAccepted(object)?.to.first?.name == nil)
    }

    @Test func nullOptionalFieldsAreAbsentButNullToIsMissing() throws {
        var object = validJob()
        for field in [
            "cc", "bcc", "reply_to", "html", "template_id", "headers", "categories", "custom_args", "send_at", "integration", "attachments",
        ] {
            object[field] = NSNull()
        }
        let job = try #require(expectAccepted(object))
        #expect(job.cc.isEmpty && job.replyTo == nil && job.sendAt == nil && job.integration == nil)
        object["to"] = NSNull()
        expectRefused(object, field: "to")
    }

    @Test func namesWithPunctuationAndUnicodeAreAcceptedButNotSeparators() {
        var object = validJob()
        object["to"] = [["email": "ana@example.com", "name": "Ana Souza-Pereira (Enspace) — São Paulo"]]
        #expect(expectAccepted(object) != nil)
        for bad in ["Souza, Ana", "Ana; Bob", "Ana\tSouza\u{7F}", "Ana\u{0}"] {
            object["to"] = [["email": "ana@example.com", "name": bad]]
            expectRefused(object, field: "to[0].name")
        }
    }
}
