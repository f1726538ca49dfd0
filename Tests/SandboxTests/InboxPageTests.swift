import Foundation
import MailroomCore
import TestSupport
import Testing

/// The inbox page and the routes it reads mail through: served from the binary, nothing from
/// elsewhere, the HTML part behind `Content-Security-Policy: sandbox`, attachments as downloads.
@Suite(.serialized)
struct InboxPageTests {
    /// A body with a text part, an HTML part carrying a script, and two attachments.
    static func richBody() -> String {
        let pdf = Data("%PDF-1.4\n%%EOF\n".utf8).base64EncodedString()
        let page = Data("<script>alert(1)</script>".utf8).base64EncodedString()
        return #"{"personalizations":[{"to":[{"email":"ann@example.com"}],"bcc":[{"email":"audit@example.com"}]}],"#
            + #""from":{"email":"from@example.com"},"subject":"Invoice","categories":["billing"],"custom_args":{"mailroom_job":"job-1"},"#
            + #""content":[{"type":"text/plain","value":"See attached."},{"type":"text/html","value":"<p>See <b>attached</b>.</p><script>x()</script>"}],"#
            + #""attachments":[{"content":"\#(pdf)","filename":"invoice \"11\".pdf","type":"application/pdf"},"#
            + #"{"content":"\#(page)","filename":"../page.html","type":"text/html"}]}"#
    }

    @Test func thePageAndItsAssetsAreServedFromTheBinaryWithAStrictPolicyAndNoOtherOrigin() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let page = try sandbox.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'; script-src 'self'") == true)
        #expect(page.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true)
        #expect(page.text.contains("<script src=\"/assets/inbox.js\""))
        #expect(page.text.contains("<label for=\"q\">"))
        for (path, type) in [("/assets/inbox.js", "text/javascript; charset=utf-8"), ("/assets/inbox.css", "text/css; charset=utf-8")] {
            let asset = try sandbox.request("GET", path)
            #expect(asset.status == 200, "\(path)")
            #expect(asset.headers["content-type"] == type)
            #expect(!asset.text.isEmpty)
        }
        for path in ["/", "/assets/inbox.js", "/assets/inbox.css"] {
            let text = try sandbox.request("GET", path).text
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(path) names another origin")
        }
    }

    @Test func theHTMLPartIsAnsweredAsASandboxedDocumentThatLoadsNothing() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let id = try #require(try sandbox.send(Self.richBody(), key: TestKeys.make()).headers["x-message-id"])
        let html = try sandbox.request("GET", "/messages/\(id)/html")
        #expect(html.status == 200)
        #expect(html.text == "<p>See <b>attached</b>.</p><script>x()</script>")
        #expect(html.headers["content-type"] == "text/html; charset=utf-8")
        let policy = html.headers["content-security-policy"] ?? ""
        #expect(policy.hasPrefix("sandbox;"))
        #expect(policy.contains("default-src 'none'"))
        #expect(!policy.contains("allow-scripts"))
        #expect(html.headers["x-content-type-options"] == "nosniff")
    }

    @Test func attachmentsDownloadWithTheirBytesTypeAndASafeName() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let id = try #require(try sandbox.send(Self.richBody(), key: TestKeys.make()).headers["x-message-id"])
        let pdf = try sandbox.request("GET", "/messages/\(id)/attachments/0")
        #expect(pdf.status == 200)
        #expect(pdf.body == Data("%PDF-1.4\n%%EOF\n".utf8))
        #expect(pdf.headers["content-type"] == "application/pdf")
        #expect(pdf.headers["content-disposition"] == #"attachment; filename="invoice _11_.pdf"; filename*=UTF-8''invoice%20%2211%22.pdf"#)
        let page = try sandbox.request("GET", "/messages/\(id)/attachments/1")
        #expect(page.headers["content-disposition"]?.hasPrefix(#"attachment; filename="page.html""#) == true, "no folder in the name")
        #expect(page.headers["content-security-policy"]?.hasPrefix("sandbox") == true, "an HTML attachment can never run on this origin")
        #expect(try sandbox.request("GET", "/messages/\(id)/attachments/2").status == 404)
        #expect(try sandbox.request("GET", "/messages/\(id)/attachments/x").status == 404)
    }

    @Test func partsOfAMessageThatIsNotThereAreA404() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        #expect(try sandbox.request("GET", "/messages/nope/html").status == 404)
        #expect(try sandbox.request("GET", "/messages/nope/attachments/0").status == 404)
        #expect(try sandbox.request("GET", "/messages/nope/summary").status == 404)
        let id = try #require(try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make()).headers["x-message-id"])
        let html = try sandbox.request("GET", "/messages/\(id)/html")
        #expect(html.status == 404)
        #expect(html.text.contains("no text/html part"))
    }

    @Test func theSummaryCarriesWhatTheListShowsAndNoBodies() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let id = try #require(try sandbox.send(Self.richBody(), key: key).headers["x-message-id"])
        let summary = try sandbox.request("GET", "/messages/\(id)/summary").object()
        #expect(summary["to"] as? String == "ann@example.com")
        #expect(summary["bcc_count"] as? Int == 1)
        #expect(summary["subject"] as? String == "Invoice")
        #expect(summary["categories"] as? [String] == ["billing"])
        #expect(summary["attachments"] as? Int == 2)
        #expect(summary["key_fingerprint"] as? String == Fingerprint.of(key))
        #expect(summary["sandbox_mode"] as? Bool == false)
        #expect(summary["request"] == nil)
    }
}
