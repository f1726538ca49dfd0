import AdminAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
import TestSupport
import Testing

/// The `/integrations` routes in process (Hummingbird's router test framework: no port, no binary). The
/// process-level suites beside this one keep the end-to-end checks of `mailroom serve`.
@Suite struct RouterInProcessTests {
    let token = "in-process-admin-token-0123456789"

    private func withRouter(_ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let home = TemporaryHome()
        let api = AdminAPI(
            store: RegistryStore(path: home.registry), token: AdminToken(token), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await Application(router: api.buildRouter()).test(.router, test)
        withExtendedLifetime(home) {}
    }

    private var authorized: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    @Test func aCreatedConfigIsAnsweredWithoutItsKey() async throws {
        let key = TestKeys.make()
        try await withRouter { client in
            let created = try await client.execute(uri: "/integrations", method: .post, headers: authorized, body: body(key: key))
            #expect(created.status == .created)
            let text = String(buffer: created.body)
            SecretScanner.expectClean(text, context: "POST /integrations")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect((object["integration"] as? [String: Any])?["id"] as? Int == 4 && object["status"] as? String == "active", "\(object)")
            let listed = try await client.execute(uri: "/integrations", method: .get, headers: authorized)
            #expect(listed.status == .ok && !String(buffer: listed.body).contains("api_key"))
        }
    }

    @Test func withoutTheTokenNothingIsAnswered() async throws {
        try await withRouter { client in
            let refused = try await client.execute(uri: "/integrations", method: .get)
            #expect(refused.status == .unauthorized)
            let wrong = try await client.execute(uri: "/integrations", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func aBadRequestNamesTheField() async throws {
        try await withRouter { client in
            let answer = try await client.execute(
                uri: "/integrations", method: .post, headers: authorized,
                body: ByteBuffer(string: #"{"integration": 4, "data": {"environment": "stage", "api_key": "SG.x", "from_email": "nobody"}}"#))
            #expect(answer.status.code == 400 || answer.status.code == 422)
            #expect(String(buffer: answer.body).contains("from_email"), "\(String(buffer: answer.body))")
        }
    }

    @Test func anUnknownConfigIsNotFound() async throws {
        try await withRouter { client in
            let answer = try await client.execute(uri: "/integrations/99", method: .get, headers: authorized)
            #expect(answer.status == .notFound)
        }
    }

    private func body(key: String) -> ByteBuffer {
        ByteBuffer(
            string:
                #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(key)", "from_email": "s@mailroom.example", "from_name": "S"}}"#)
    }
}
