import Foundation
import MailroomCore
import TestSupport
import Testing

/// Valid sends are answered like SendGrid answers them, and kept for tests to inspect.
@Suite(.serialized)
struct AcceptTests {
    @Test func aValidSendGets202WithAnEmptyBodyAndA22CharacterMessageID() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make())
        #expect(reply.status == 202)
        #expect(reply.body.isEmpty)
        #expect(SandboxFixtures.isMessageID(reply.headers["x-message-id"]))
    }

    @Test func messageIDsDiffer() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let ids = try (0..<50).map { _ in try sandbox.send(SandboxFixtures.validBody(), key: key).headers["x-message-id"] ?? "" }
        #expect(Set(ids).count == 50)
        #expect(ids.allSatisfy(SandboxFixtures.isMessageID))
    }

    @Test func sandboxModeGets200AndIsRecordedAsSuch() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(SandboxFixtures.validBody(sandboxMode: true), key: TestKeys.make())
        #expect(reply.status == 200)
        #expect(reply.body.isEmpty)
        let id = try #require(reply.headers["x-message-id"])
        #expect(try sandbox.message(id: id)?["sandbox_mode"] as? Bool == true)
    }

    @Test func aTemplateStandsInForSubjectAndContent() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let body =
            #"{"personalizations":[{"to":[{"email":"to@example.com"}],"dynamic_template_data":{"name":"Ann"}}],"#
            + #""from":{"email":"from@example.com"},"template_id":"d-0123456789abcdef"}"#
        #expect(try sandbox.send(body, key: TestKeys.make()).status == 202)
    }

    @Test func subjectsInEveryPersonalizationReplaceTheGlobalOne() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let body =
            #"{"personalizations":[{"to":[{"email":"a@example.com"}],"subject":"A"},{"to":[{"email":"b@example.com"}],"subject":"B"}],"#
            + #""from":{"email":"from@example.com"},"content":[{"type":"text/plain","value":"x"},{"type":"text/html","value":"<p>x</p>"}]}"#
        #expect(try sandbox.send(body, key: TestKeys.make()).status == 202)
    }

    @Test func storedRecordsHoldTheRequestAndTheKeysFingerprintButNeverTheKey() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let before = Int(Date().timeIntervalSince1970 * 1e9)
        let body = SandboxFixtures.validBody(to: "ann@example.com")
        let reply = try sandbox.send(body, key: key)
        let after = Int(Date().timeIntervalSince1970 * 1e9)
        let id = try #require(reply.headers["x-message-id"])
        let record = try #require(try sandbox.message(id: id))
        #expect(record["id"] as? String == id)
        #expect(record["key_fingerprint"] as? String == Fingerprint.of(key))
        #expect(record["sandbox_mode"] as? Bool == false)
        let nanoseconds = try #require(record["received_at_unix_ns"] as? Int)
        #expect((before...after).contains(nanoseconds))
        let receivedAt = try #require(record["received_at"] as? String)
        #expect(receivedAt.count == 24 && receivedAt.hasSuffix("Z"))
        let parsed = try #require(Timestamps.parse(receivedAt))
        #expect(abs(parsed.timeIntervalSince1970 * 1e9 - Double(nanoseconds)) < 1e6)
        let request = try #require(record["request"] as? [String: Any])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: request).isEqual(to: expected))
        let listing = try sandbox.request("GET", "/messages")
        #expect(!listing.text.contains(key))
    }

    @Test func messagesCanBeFilteredByAnyRecipientAndByTime() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let key = TestKeys.make()
        #expect(try sandbox.send(SandboxFixtures.validBody(to: "ann@example.com"), key: key).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(to: "bob@example.com", cc: "Carol@Example.com"), key: key).status == 202)
        Thread.sleep(forTimeInterval: 0.02)
        let cut = Timestamps.now()
        Thread.sleep(forTimeInterval: 0.02)
        #expect(try sandbox.send(SandboxFixtures.validBody(to: "dan@example.com"), key: key).status == 202)

        #expect(try sandbox.messages().count == 3)
        #expect(try sandbox.messages(query: "to=carol@example.com").count == 1)
        #expect(try sandbox.messages(query: "to=CAROL%40example.com").count == 1)
        #expect(try sandbox.messages(query: "to=ann@example.com").count == 1)
        #expect(try sandbox.messages(query: "to=nobody@example.com").isEmpty)
        let recent = try sandbox.messages(query: "since=" + cut)
        #expect(recent.count == 1)
        let firstTo = ((recent.first?["request"] as? [String: Any])?["personalizations"] as? [[String: Any]])?.first?["to"] as? [[String: Any]]
        #expect(firstTo?.first?["email"] as? String == "dan@example.com")
        #expect(try sandbox.messages(query: "key_fingerprint=" + Fingerprint.of(key)).count == 3)
        #expect(try sandbox.messages(query: "key_fingerprint=sha256:000000000000").isEmpty)
        #expect(try sandbox.request("GET", "/messages?since=yesterday").status == 400)

        try sandbox.clear()
        #expect(try sandbox.messages().isEmpty)
        #expect(try sandbox.message(id: "AAAAAAAAAAAAAAAAAAAAAA") == nil)
    }

    @Test func theStoreFolderKeepsOneFilePerMessageAcrossRestarts() throws {
        let home = TemporaryHome()
        let folder = home.path + "/sandbox-store"
        let key = TestKeys.make()
        let first = try SandboxProcess(["--store", folder])
        let id = try #require(try first.send(SandboxFixtures.validBody(to: "kept@example.com"), key: key).headers["x-message-id"])
        let file = folder + "/" + id + ".json"
        let stored = try #require(FileManager.default.contents(atPath: file))
        let record = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
        #expect(record["id"] as? String == id)
        #expect(record["key_fingerprint"] as? String == Fingerprint.of(key))
        #expect(first.stop() == 0)

        let second = try SandboxProcess(["--store", folder])
        defer { second.stop() }
        #expect(try second.message(id: id) != nil)
        #expect(try second.messages(query: "to=kept@example.com").count == 1)
        SecretScanner.expectCleanFiles(under: folder)
        try second.clear()
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test func aConfiguredSenderIdentityIsEnforcedWith403() throws {
        let sandbox = try SandboxProcess(["--verified-sender", "ops@example.com", "--verified-sender", "@mail.example.org"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        #expect(try sandbox.send(SandboxFixtures.validBody(from: "ops@example.com"), key: key).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(from: "news@mail.example.org"), key: key).status == 202)
        let refused = try sandbox.send(SandboxFixtures.validBody(from: "other@example.com"), key: key)
        #expect(refused.status == 403)
        #expect(refused.errors().first?.message.hasPrefix("The from address does not match a verified Sender Identity.") == true)
        #expect(refused.errors().first?.field == "from")
    }

    @Test func sigtermStopsTheSandboxWithStatus0() throws {
        let sandbox = try SandboxProcess()
        #expect(try sandbox.request("GET", "/healthz").status == 200)
        #expect(sandbox.stop() == 0)
        #expect(sandbox.output.hasPrefix("mailroom sandbox listening on 127.0.0.1:\(sandbox.port)\n"))
    }
}
