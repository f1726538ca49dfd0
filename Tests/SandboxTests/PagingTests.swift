import Foundation
import TestSupport
import Testing

/// `GET /messages` pages (`limit`, `before`, newest first) and `DELETE /messages/{id}`.
@Suite(.serialized)
struct PagingTests {
    /// Sends `count` messages to `n0@example.com`, `n1@…`; returns their ids, oldest first.
    static func send(_ count: Int, to sandbox: SandboxProcess) throws -> [String] {
        let key = TestKeys.make()
        return try (0..<count).map { index in
            try #require(try sandbox.send(SandboxFixtures.validBody(to: "n\(index)@example.com"), key: key).headers["x-message-id"])
        }
    }

    static func ids(_ records: [[String: Any]]) -> [String] { records.compactMap { $0["id"] as? String } }

    @Test func pagesWalkFromTheNewestToTheOldestWithoutGapsOrRepeats() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let sent = try Self.send(7, to: sandbox)
        var seen: [String] = []
        var before: String?
        var pages = 0
        repeat {
            let reply = try sandbox.request("GET", "/messages?limit=3" + (before.map { "&before=" + $0 } ?? ""))
            #expect(reply.status == 200)
            let page = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]])
            #expect(page.count <= 3)
            seen += Self.ids(page)
            before = reply.headers["x-next-before"]
            pages += 1
        } while before != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == Array(sent.reversed()))
        #expect(Self.ids(try sandbox.messages()) == sent, "without limit: everything, oldest first, as before")
    }

    @Test func summariesPageAndSearchByRecipientOrSubject() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let sent = try Self.send(5, to: sandbox)
        let first = try sandbox.request("GET", "/messages?view=summary&limit=2").object()
        let messages = try #require(first["messages"] as? [[String: Any]])
        #expect(Self.ids(messages) == [sent[4], sent[3]])
        #expect(first["next_before"] as? String == sent[3])
        let stored = try #require(first["stored"] as? [String: Any])
        #expect(stored["count"] as? Int == 5)
        #expect(stored["max_bytes"] as? Int == 256 << 20)
        let found = try sandbox.request("GET", "/messages?view=summary&limit=10&q=N2@EXAMPLE").object()
        #expect(Self.ids(found["messages"] as? [[String: Any]] ?? []) == [sent[2]])
        let bySubject = try sandbox.request("GET", "/messages?view=summary&limit=10&q=hi").object()
        #expect((bySubject["messages"] as? [[String: Any]])?.count == 5)
        #expect(Self.ids(try sandbox.messages(query: "limit=10&q=nobody")).isEmpty)
    }

    @Test func badPagingParametersAreRefusedWithTheRuleNamed() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        _ = try Self.send(1, to: sandbox)
        for query in ["limit=0", "limit=1001", "limit=ten", "limit=-1"] {
            let reply = try sandbox.request("GET", "/messages?" + query)
            #expect(reply.status == 400, "\(query)")
            #expect(reply.text.contains("limit must be a whole number from 1 to 1000"), "\(query): \(reply.text)")
        }
        let unknown = try sandbox.request("GET", "/messages?limit=5&before=AAAAAAAAAAAAAAAAAAAAAA")
        #expect(unknown.status == 400)
        #expect(unknown.text.contains("deleted or evicted"))
        #expect(try sandbox.request("GET", "/messages?before=x").status == 400)
        #expect(try sandbox.request("GET", "/messages?view=summary").status == 400)
        #expect(try sandbox.request("GET", "/messages?limit=1&view=everything").status == 400)
    }

    @Test func deletingOneMessageForgetsOnlyIt() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let sent = try Self.send(3, to: sandbox)
        let deleted = try sandbox.request("DELETE", "/messages/" + sent[1])
        #expect(deleted.status == 200)
        #expect(deleted.object()["deleted"] as? Int == 1)
        #expect(try sandbox.message(id: sent[1]) == nil)
        #expect(Self.ids(try sandbox.messages()) == [sent[0], sent[2]])
        let again = try sandbox.request("DELETE", "/messages/" + sent[1])
        #expect(again.status == 404)
        #expect(again.text.contains("no message with id"))
    }
}
