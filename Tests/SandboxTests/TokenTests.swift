import Foundation
import TestSupport
import Testing

/// `--token` protects the page and the control routes, never Mail Send; a sandbox bound beyond
/// loopback without one says so at start-up.
@Suite(.serialized)
struct TokenTests {
    /// A token shaped to be found by the secret scanner if anything ever prints it.
    static func makeToken() -> String {
        let token = "tok-" + UUID().uuidString
        SecretScanner.register(token)
        return token
    }

    @Test func controlRoutesAndThePageNeedTheTokenAndMailSendDoesNot() throws {
        let token = Self.makeToken()
        let sandbox = try SandboxProcess(["--token", token])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        #expect(try sandbox.send(SandboxFixtures.validBody(), key: key).status == 202)
        for (method, path) in [
            ("GET", "/messages"), ("DELETE", "/messages"), ("GET", "/stats"), ("GET", "/faults"), ("POST", "/faults"), ("GET", "/"),
        ] {
            let refused = try sandbox.request(method, path)
            #expect(refused.status == 401, "\(method) \(path) without the token")
            #expect(!refused.text.contains(token))
            let wrong = try sandbox.request(method, path, headers: ["Authorization": "Bearer " + token + "x"])
            #expect(wrong.status == 401, "\(method) \(path) with a wrong token")
        }
        let bearer = ["Authorization": "Bearer " + token]
        let listed = try sandbox.request("GET", "/messages", headers: bearer)
        #expect(listed.status == 200)
        #expect(listed.text.contains("to@example.com"))
        #expect(try sandbox.request("GET", "/healthz").status == 200)
        #expect(try sandbox.request("GET", "/assets/inbox.js").status == 200)
        let browser = try sandbox.request("GET", "/", headers: ["Accept": "text/html"])
        #expect(browser.status == 401)
        #expect(browser.text.contains("<form method=\"post\" action=\"/login\">"))
    }

    @Test func signingInSetsAStrictHttpOnlyCookieThatOpensThePage() throws {
        let token = Self.makeToken()
        let sandbox = try SandboxProcess(["--token", token])
        defer { sandbox.stop() }
        let connection = try RawHTTPConnection(port: sandbox.port)
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let wrong = try connection.send("POST", "/login", headers: form, body: "token=nope")
        #expect(wrong.status == 401)
        #expect(wrong.headers["set-cookie"] == nil)
        let right = try connection.send("POST", "/login", headers: form, body: "token=" + token)
        #expect(right.status == 303)
        #expect(right.headers["location"] == "/")
        let cookie = try #require(right.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let pair = String(cookie.split(separator: ";")[0])
        #expect(try connection.send("GET", "/", headers: ["Cookie": "theme=dark; " + pair]).status == 200)
        #expect(try connection.send("GET", "/messages", headers: ["Cookie": pair + "x"]).status == 401)
    }

    @Test func aNonLoopbackBindWithoutATokenIsWarnedAbout() throws {
        // 192.0.2.1 (TEST-NET-1) is no address of this host: the bind fails at once, after the warning.
        let open = try MailroomBinary.run(["sandbox", "--listen", "192.0.2.1:0"], timeout: .seconds(30))
        #expect(open.status != 0)
        #expect(open.stderr.contains("without a token: anyone who can reach it reads the captured mail"))
        let token = Self.makeToken()
        let guarded = try MailroomBinary.run(
            ["sandbox", "--listen", "192.0.2.1:0"], environment: ["MAILROOM_SANDBOX_TOKEN": token], timeout: .seconds(30))
        #expect(guarded.status != 0)
        #expect(!guarded.stderr.contains("without a token"))
    }

    @Test func aShortOrUnprintableTokenIsAUsageError() throws {
        let short = try MailroomBinary.run(["sandbox", "--listen", "127.0.0.1:0", "--token", "abc"])
        #expect(short.status == 64)
        #expect(short.stderr.contains("--token: use at least 8 printable ASCII characters"))
        let fromEnvironment = try MailroomBinary.run(
            ["sandbox", "--listen", "127.0.0.1:0"], environment: ["MAILROOM_SANDBOX_TOKEN": "has space inside"])
        #expect(fromEnvironment.status == 64)
        #expect(fromEnvironment.stderr.contains("MAILROOM_SANDBOX_TOKEN"))
    }
}
