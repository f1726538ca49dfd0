import Foundation
import TestSupport
import Testing

/// `Content-Encoding: gzip` bodies: accepted and stored inflated, the 30 MB cap applied to the
/// inflated size, and every other encoding refused.
@Suite(.serialized)
struct GzipTests {
    /// `text` compressed by the system's `gzip`, so the test does not trust the code it checks.
    static func gzip(_ data: Data) throws -> Data {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        try data.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", input.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let compressed = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return compressed
    }

    static func send(_ sandbox: SandboxProcess, _ body: Data, encoding: String?) throws -> SandboxProcess.Reply {
        var headers = ["Content-Type": "application/json", "Authorization": "Bearer " + TestKeys.make()]
        if let encoding { headers["Content-Encoding"] = encoding }
        return try sandbox.request("POST", "/v3/mail/send", headers: headers, body: body)
    }

    @Test func aGzippedBodyIsAcceptedAndStoredInflated() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let body = SandboxFixtures.validBody(to: "zip@example.com")
        let reply = try Self.send(sandbox, try Self.gzip(Data(body.utf8)), encoding: "gzip")
        #expect(reply.status == 202)
        let id = try #require(reply.headers["x-message-id"])
        let request = try #require(try sandbox.message(id: id)?["request"] as? [String: Any])
        #expect(request["subject"] as? String == "Hi")
        #expect(try sandbox.messages(query: "to=zip@example.com").count == 1)
        #expect(try Self.send(sandbox, try Self.gzip(Data(body.utf8)), encoding: " GZIP ").status == 202, "case and spaces do not matter")
    }

    @Test func aGzippedBodyIsValidatedLikeAnyOther() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let reply = try Self.send(sandbox, try Self.gzip(Data("{}".utf8)), encoding: "gzip")
        #expect(reply.status == 400)
        #expect(!reply.errors().isEmpty)
    }

    @Test func aBodyThatInflatesPastThirtyMegabytesIs413() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        // 31 MB of spaces inside a JSON string: a few tens of kilobytes compressed.
        var json = Data(#"{"personalizations":[{"to":[{"email":"a@example.com"}]}],"from":{"email":"f@example.com"},"subject":""#.utf8)
        json.append(Data(repeating: UInt8(ascii: " "), count: 31_000_000))
        json.append(Data(#"","content":[{"type":"text/plain","value":"x"}]}"#.utf8))
        let compressed = try Self.gzip(json)
        #expect(compressed.count < 200_000)
        let reply = try Self.send(sandbox, compressed, encoding: "gzip")
        #expect(reply.status == 413)
        #expect(reply.errors().first?.message == "content too large")
        #expect(try sandbox.messages().isEmpty)
    }

    @Test func corruptOrTruncatedGzipIs400() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let compressed = try Self.gzip(Data(SandboxFixtures.validBody().utf8))
        #expect(try Self.send(sandbox, compressed.prefix(compressed.count / 2), encoding: "gzip").status == 400)
        #expect(try Self.send(sandbox, Data(SandboxFixtures.validBody().utf8), encoding: "gzip").status == 400, "plain JSON sent as gzip")
    }

    @Test func otherEncodingsAreRefusedWith415() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        for encoding in ["br", "deflate", "identity", "gzip, br"] {
            let reply = try Self.send(sandbox, Data(SandboxFixtures.validBody().utf8), encoding: encoding)
            #expect(reply.status == 415, "Content-Encoding: \(encoding)")
            #expect(reply.errors().first?.message.contains("only gzip") == true)
        }
        #expect(try sandbox.messages().isEmpty)
    }
}
