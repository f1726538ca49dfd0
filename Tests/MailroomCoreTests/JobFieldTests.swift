import Foundation
import MailroomCore
import Testing

/// Rules for the fields other than recipients and send_at, each shown accepted at its edge and refused past it.
@Suite struct JobFieldTests {
    @Test func aTemplateJobNeedsNoSubjectOrBody() throws {
        let object: [String: Any] = [
            "to": "ana@example.com", "template_id": "d-0123456789abcdef",
            "dynamic_template_data": ["name": "Ana", "items": [1, 2.5, ["deep": [true, NSNull()]]]],
        ]
        let job = try #require(expectAccepted(object))
        #expect(job.templateID == "d-0123456789abcdef")
        #expect(job.subject == nil && job.text == nil && job.html == nil)
        let items = JSONValue.array([.number(1), .number(2.5), .object(["deep": .array([.bool(true), .null])])])
        #expect(job.dynamicTemplateData == ["name": .string("Ana"), "items": items])
    }

    @Test func aSubjectNeedsTextOrHtml() {
        var object = validJob()
        object["text"] = nil
        expectRefused(object, field: "text")
        object["html"] = "<p>Hi</p>"
        #expect(expectAccepted(object)?.html == "<p>Hi</p>")
    }

    @Test func aSubjectMayHoldTabsAndUnicodeButNoLineBreaks() {
        var object = validJob()
        object["subject"] = "Reserva\tconfirmada — Sala Ipê 🎉"
        #expect(expectAccepted(object)?.subject == "Reserva\tconfirmada — Sala Ipê 🎉")
        for bad in ["a\rb", "a\nb", "a\r\nb", "a\u{0}b", "a\u{1B}b"] {
            object["subject"] = bad
            expectRefused(object, field: "subject")
        }
    }

    @Test func customHeadersAreKeptAndReservedOnesRefusedWhateverTheirCase() {
        var object = validJob()
        object["headers"] = ["X-Entity-Ref-ID": "991", "List-Unsubscribe": "<mailto:u@example.com>", "X-Tab": "a\tb"]
        #expect(expectAccepted(object)?.headers["List-Unsubscribe"] == "<mailto:u@example.com>")
        for name in HeaderRules.reservedNames {
            for spelling in [name, name.uppercased(), name.capitalized] {
                object["headers"] = [spelling: "x"]
                expectRefused(object, field: "headers." + spelling)
            }
        }
    }

    @Test func headerNamesThatDifferOnlyInCaseAreRefused() {
        var object = validJob()
        object["headers"] = ["X-Ref": "1", "X-REF": "2"]
        expectRefused(object, field: "headers.X-Ref")
    }

    @Test func tenUniqueCategoriesAreAcceptedAndAnEleventhIsNot() {
        var object = validJob()
        var categories = (0..<9).map { "category-\($0)" }
        categories.append(String(repeating: "c", count: MailLimits.maxCategoryLength))
        object["categories"] = categories
        #expect(expectAccepted(object)?.categories == categories)
        object["categories"] = categories + ["one-more"]
        expectRefused(object, field: "categories")
        object["categories"] = ["", "x"]
        expectRefused(object, field: "categories[0]")
    }

    @Test func customArgsMayFillTheirBudgetLessRoomForTheJobID() {
        var object = validJob()
        // With the worker's member for a 128-character job ID, the JSON object must stay under the limit.
        func withJobID(_ arguments: [String: String]) -> Int {
            var all = arguments
            all["mailroom_job"] = String(repeating: "J", count: 128)
            return (try? JSONSerialization.data(withJSONObject: all).count) ?? 0
        }
        let base = ["booking": "991", "note": "a \"quoted\" line\nand a tab\t", "blob": ""]
        var arguments = base
        arguments["blob"] = String(repeating: "x", count: MailLimits.maxCustomArgsBytes - 1 - withJobID(base))
        #expect(withJobID(arguments) == MailLimits.maxCustomArgsBytes - 1)
        object["custom_args"] = arguments
        #expect(expectAccepted(object)?.customArgs["booking"] == "991")
        arguments["blob"]?.append("x")
        object["custom_args"] = arguments
        expectRefused(object, field: "custom_args")
        object["custom_args"] = ["": "x"]
        expectRefused(object, field: #"custom_args[""]"#)
    }

    @Test func attachmentsKeepEveryField() throws {
        var object = validJob()
        let logo = Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3, 250]).base64EncodedString()
        object["attachments"] = [
            ["filename": "a.pdf", "content": "JVBERi0xLjQK"],
            ["filename": "logo.png", "content": logo, "type": "image/png", "disposition": "inline", "content_id": "logo"],
        ]
        let job = try #require(expectAccepted(object))
        #expect(
            job.attachments == [
                Attachment(filename: "a.pdf", content: "JVBERi0xLjQK"),
                Attachment(filename: "logo.png", content: logo, type: "image/png", disposition: "inline", contentID: "logo"),
            ])
    }

    @Test func integrationIsAPositiveWholeNumber() {
        var object = validJob()
        object["integration"] = 105
        #expect(expectAccepted(object)?.integration == 105)
        for bad: Any in [0, -4, 1.5, "105", [105], 1e300] {
            object["integration"] = bad
            expectRefused(object, field: "integration")
        }
    }

    @Test func unknownFieldsAreNamedWithASuggestion() throws {
        var object = validJob()
        object["subjet"] = "typo"
        let error = try #require(expectRefused(object, field: "subjet"))
        #expect(error.message.contains("did you mean subject?"))
        object["subjet"] = nil
        object["version"] = 1
        expectRefused(object, field: "version")
    }

    @Test func fromIsRefusedPointingAtTheIntegrationConfig() throws {
        var object = validJob()
        object["from"] = "ceo@example.com"
        let error = try #require(expectRefused(object, field: "from"))
        #expect(error.message.contains("integration config"))
    }

    @Test func repeatedKeysAreRefusedAtTheirPath() {
        let text = #"{"to": "ana@example.com", "subject": "Hi", "text": "Hello", "headers": {"X-A": "1", "X-A": "2"}}"#
        expectRefused(Data(text.utf8), field: "headers.X-A")
        let nested =
            #"{"to": "a@example.com", "subject": "Hi", "text": "t", "template_id": "d-1", "dynamic_template_data": {"rows": [{}, {"k": 1, "k": 2}]}}"#
        expectRefused(Data(nested.utf8), field: "dynamic_template_data.rows[1].k")
    }

    @Test func hostileKeysStayOnOneLineInThePath() throws {
        var object = validJob()
        object["headers"] = ["X-Evil\r\nBcc: eve@example.com": "1"]
        let error = try #require(expectRefused(object, field: #"headers["X-Evil\r\nBcc: eve@example.com"]"#))
        #expect(!error.description.contains("\n"))
        object["headers"] = [String(repeating: "k", count: 5000) + " ": "1"]
        let cut = try #require(expectRefused(object, field: "headers[\"" + String(repeating: "k", count: 100) + "…\"]"))
        #expect(cut.description.count < 500)
    }
}
