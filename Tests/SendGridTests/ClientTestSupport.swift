import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Helpers for the client tests: each test runs its own sandbox (so `/stats` counts only its
/// own traffic) and its own client, and checks every outcome it gets for the key.
enum ClientFixtures {
    static let sender = EmailAddress(email: "notifications@example.com", name: "Mailroom Tests")

    /// A started client for `sandbox`.
    static func client(
        _ sandbox: SandboxProcess, connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(20), maxConnections: Int = 16
    ) throws -> SendGridClient {
        let client = try SendGridClient(
            configuration: SendGridClientConfiguration(
                apiURL: sandbox.baseURL, connectTimeout: connectTimeout, totalTimeout: totalTimeout, maxConnections: maxConnections))
        client.start()
        return client
    }

    /// A valid one-recipient body, as the worker would build it.
    static func body(id: String = "job-1", to: String = "ana@example.com", sandboxMode: Bool = true) throws -> Data {
        let job = Job(to: [EmailAddress(email: to, name: "Ana")], subject: "Hello", text: "Hi Ana", html: "<p>Hi Ana</p>")
        return try PayloadBuilder.build(job: job, jobID: id, from: sender, sandboxMode: sandboxMode)
    }

    /// `client.send`, with the outcome checked for the key.
    static func send(
        _ client: SendGridClient, _ body: Data, key: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> SendOutcome {
        let result = await client.send(body, key: APIKey(key))
        expectClean(result.outcome, sourceLocation: sourceLocation)
        return result.outcome
    }

    /// Records an issue if `outcome`'s text holds any registered key.
    static func expectClean(_ outcome: SendOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
        SecretScanner.expectClean(outcome.description, context: "SendOutcome", sourceLocation: sourceLocation)
        SecretScanner.expectClean(String(reflecting: outcome), context: "SendOutcome (reflected)", sourceLocation: sourceLocation)
    }

    /// The sandbox's `/stats` counter `name` (an integer member).
    static func stat(_ sandbox: SandboxProcess, _ name: String) throws -> Int {
        try #require(try sandbox.stats()[name] as? Int)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed).
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
