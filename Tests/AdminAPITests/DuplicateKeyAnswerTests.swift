import Foundation
import TestSupport
import Testing

/// `POST` and `PATCH /integrations` refuse a key given twice (readers disagree on which value wins) as any other
/// broken rule: 422 `invalid_field` naming the key's path, nothing stored, the key in no answer.
@Suite struct DuplicateKeyAnswerTests {
    @Test func postWithARepeatedKeyGets422NamingItsPath() async throws {
        let server = try ServerProcess()
        let key = TestKeys.make()
        let body =
            #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(key)", "from_email": "a@example.com", "#
            + #""from_email": "b@example.com"}}"#
        let result = try await HTTPClient(server).send("POST", "/integrations", body: Data(body.utf8))
        #expect(result.status == 422)
        #expect(result.error["code"] as? String == "invalid_field")
        #expect(result.error["field"] as? String == "data.from_email")
        #expect((result.error["message"] as? String)?.contains("appears twice") == true)
        SecretScanner.expectClean(result.body, context: "POST with a repeated key")
        #expect(server.home.read("registry.json") == nil)
    }

    @Test func patchWithARepeatedKeyGets422AndChangesNothing() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: TestKeys.make())).status == 201)
        let before = server.home.read("registry.json")
        let result = try await client.send("PATCH", "/integrations/1", body: Data(#"{"status": "inactive", "status": "active"}"#.utf8))
        #expect(result.status == 422)
        #expect(result.error["field"] as? String == "status")
        #expect(server.home.read("registry.json") == before)
    }
}
