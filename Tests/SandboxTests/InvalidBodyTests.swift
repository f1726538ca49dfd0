import Foundation
import TestSupport
import Testing

/// The sandbox refuses what SendGrid refuses, with SendGrid's message and field (reference §5).
@Suite(.serialized)
struct InvalidBodyTests {
    @Test func everyInvalidBodyInTheFixtureGetsSendGridsMessageAndField() throws {
        let cases = try SandboxFixtures.invalidBodies()
        #expect(cases.count >= 30)
        let key = TestKeys.make()
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        for row in cases {
            let reply = try sandbox.request(
                "POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/json"], body: row.body)
            #expect(reply.status == row.status, "\(row.name): status")
            let first = reply.errors().first
            #expect(first?.message == row.message, "\(row.name): message")
            #expect(first?.field == row.field, "\(row.name): field")
            #expect(reply.headers["x-message-id"] == nil, "\(row.name): no message id on a refusal")
        }
        #expect(try sandbox.messages().isEmpty)
    }

    @Test func validationErrorsCarrySendGridsHelpLinks() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(
            #"{"personalizations":[{"to":[{"email":"nope"}]}],"from":{"email":"a@example.com"},"subject":"s","content":[{"type":"text/plain","value":"v"}]}"#,
            key: TestKeys.make())
        let error = (reply.object()["errors"] as? [[String: Any]])?.first
        #expect(error?["help"] as? String == "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to")
    }

    @Test func allProblemsOfABodyAreReportedTogether() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(#"{"personalizations":[{"to":[{"email":"nope"}]}],"content":[]}"#, key: TestKeys.make())
        #expect(reply.status == 400)
        let fields = reply.errors().map(\.field)
        #expect(fields == ["personalizations.0.to.0.email", "from.email", "subject", "content"])
    }

    @Test func moreThanAThousandPersonalizationsAreRefused() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let one = #"{"to":[{"email":"to@example.com"}]}"#
        let body =
            #"{"personalizations":["# + Array(repeating: one, count: 1001).joined(separator: ",")
            + #"],"from":{"email":"a@example.com"},"subject":"s","content":[{"type":"text/plain","value":"v"}]}"#
        let reply = try sandbox.send(body, key: TestKeys.make())
        #expect(reply.status == 400)
        #expect(reply.errors().first?.field == "personalizations")
        #expect(reply.errors().first?.message.contains("You have provided 1001 personalizations.") == true)
    }

    @Test func moreThanAThousandRecipientsAreRefusedButAThousandPass() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        func body(_ count: Int) -> String {
            let recipients = (0..<count).map { #"{"email":"r\#($0)@example.com"}"# }.joined(separator: ",")
            return #"{"personalizations":[{"to":[\#(recipients)]}],"from":{"email":"a@example.com"},"subject":"s","#
                + #""content":[{"type":"text/plain","value":"v"}]}"#
        }
        let key = TestKeys.make()
        #expect(try sandbox.send(body(1000), key: key).status == 202)
        let refused = try sandbox.send(body(1001), key: key)
        #expect(refused.status == 400)
        #expect(refused.errors().first?.message == "There is a limit of 1000 total recipients (to + cc + bcc) per request.")
    }

    @Test func recipientNamesWithSemicolonsOrCommasAreRefused() throws {
        // SendGrid documents the rule but no response text was found, so only status and field are asserted.
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        for name in ["Doe, Jane", "a;b", "line\\nbreak"] {
            let body =
                #"{"personalizations":[{"to":[{"email":"to@example.com"}],"cc":[{"email":"cc@example.com","name":"\#(name)"}]}],"#
                + #""from":{"email":"a@example.com"},"subject":"s","content":[{"type":"text/plain","value":"v"}]}"#
            let reply = try sandbox.send(body, key: key)
            #expect(reply.status == 400, "\(name)")
            #expect(reply.errors().first?.field == "personalizations.0.cc.0.name", "\(name)")
        }
        let fine =
            #"{"personalizations":[{"to":[{"email":"to@example.com","name":"Jane Doe (Ops)"}]}],"#
            + #""from":{"email":"a@example.com"},"subject":"s","content":[{"type":"text/plain","value":"v"}]}"#
        #expect(try sandbox.send(fine, key: key).status == 202)
    }

    @Test func bodiesThatAreNotJSONGetBadRequest() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        for body in ["", "{", "not json", "[1,2]", #"{"personalizations":[}"#, "{\"a\":1} trailing"] {
            let reply = try sandbox.send(body, key: key)
            #expect(reply.status == 400, "\(body)")
            #expect(reply.errors().first?.message == "Bad Request", "\(body)")
            #expect(reply.errors().first?.field == "", "\(body): field is null")
        }
    }

    @Test func invalidUTF8IsRefused() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        var body = Data(SandboxFixtures.validBody().utf8)
        body.insert(contentsOf: [0xC3, 0x28], at: body.count - 20)
        let reply = try sandbox.request("POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(TestKeys.make())"], body: body)
        #expect(reply.status == 400)
        #expect(reply.errors().first?.message == "Invalid UTF8 in request.")
    }

    @Test func bodiesOf30MBOrMoreGet413() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let prefix =
            #"{"personalizations":[{"to":[{"email":"to@example.com"}]}],"from":{"email":"a@example.com"},"subject":"s","content":[{"type":"text/plain","value":""#
        let suffix = #""}]}"#
        func body(size: Int) -> Data {
            Data((prefix + String(repeating: "x", count: size - prefix.utf8.count - suffix.utf8.count) + suffix).utf8)
        }
        let tooLarge = try sandbox.request("POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(key)"], body: body(size: 30_000_000))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.errors().first?.message == "content too large")
        let justUnder = try sandbox.request("POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(key)"], body: body(size: 29_999_999))
        #expect(justUnder.status == 202)
    }
}
