import Foundation
import MailroomCore
import TestSupport
import Testing

/// Keys are checked the way SendGrid checks them, with SendGrid's 401 bodies.
@Suite(.serialized)
struct AuthTests {
    @Test func aMissingKeyGets401AuthorizationRequired() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try sandbox.send(SandboxFixtures.validBody(), key: nil)
        #expect(reply.status == 401)
        #expect(reply.text == #"{"errors":[{"field":null,"message":"authorization required","help":null}]}"#)
        let basic = try sandbox.request("POST", "/v3/mail/send", headers: ["Authorization": "Basic dXNlcjpwYXNz"], body: Data("{}".utf8))
        #expect(basic.errors().first?.message == "authorization required")
    }

    @Test func aTokenThatIsNotASendGridKeyGetsWrongCredentials() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        for token in ["not-a-key", "", "SG."] {
            let reply = try sandbox.request(
                "POST", "/v3/mail/send", headers: ["Authorization": "Bearer \(token)"], body: Data(SandboxFixtures.validBody().utf8))
            #expect(reply.status == 401, "\(token)")
            #expect(reply.text == #"{"errors":[{"field":null,"message":"Permission denied, wrong credentials","help":null}]}"#, "\(token)")
        }
    }

    @Test func anyKeyStartingSGIsAcceptedWhenNoKeysAreConfigured() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make()).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: "SG.xxxxxxxxxxxxxxxxxxxx").status == 202)
    }

    @Test func onlyConfiguredKeysAreAcceptedAndOthersGetGrantInvalid() throws {
        let good = TestKeys.make()
        let fromFile = TestKeys.make()
        let other = TestKeys.make()
        let home = TemporaryHome()
        let keysFile = try home.write("keys.txt", "# sandbox keys\n\n  \(fromFile)  \n")
        let sandbox = try SandboxProcess(["--key", good, "--keys-file", keysFile])
        defer { sandbox.stop() }
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: good).status == 202)
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: fromFile).status == 202)
        let refused = try sandbox.send(SandboxFixtures.validBody(), key: other)
        #expect(refused.status == 401)
        #expect(
            refused.text == #"{"errors":[{"field":null,"message":"The provided authorization grant is invalid, expired, or revoked","help":null}]}"#)
        let stats = try sandbox.stats()
        let byKey = stats["requests_by_key"] as? [String: Int] ?? [:]
        #expect(byKey[Fingerprint.of(other)] == 1)
        #expect(byKey[Fingerprint.of(good)] == 1)
        #expect(!(try sandbox.request("GET", "/stats").text.contains(other)))
    }

    @Test func authIsCheckedBeforeTheBody() throws {
        let sandbox = try SandboxProcess(["--key", TestKeys.make()])
        defer { sandbox.stop() }
        let reply = try sandbox.send("not json", key: TestKeys.make())
        #expect(reply.status == 401)
    }

    @Test func anUnreadableKeysFileStopsTheSandboxWithStatus66() throws {
        let result = try MailroomBinary.run(["sandbox", "--listen", "127.0.0.1:0", "--keys-file", "/nonexistent/keys.txt"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("--keys-file /nonexistent/keys.txt"))
    }

    @Test func aBadListenAddressIsAUsageError() throws {
        let result = try MailroomBinary.run(["sandbox", "--listen", "nowhere"])
        #expect(result.status == 64)
    }
}
