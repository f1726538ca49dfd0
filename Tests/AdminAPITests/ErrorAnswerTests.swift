import Foundation
import TestSupport
import Testing

@Suite struct ErrorAnswerTests {
    static let ruleBreakers: [(name: String, field: String, body: @Sendable (String) -> Data)] = [
        ("integration 7", "integration", { Bodies.create(key: $0, top: ["integration": 7]) }),
        ("environment dev", "data.environment", { Bodies.create(key: $0, data: ["environment": "dev"]) }),
        ("from_email not an address", "data.from_email", { Bodies.create(key: $0, data: ["from_email": "not-an-address"]) }),
        ("unknown data field", "data.reply_to", { Bodies.create(key: $0, data: ["reply_to": "a@example.com"]) }),
        ("key without SG.", "data.api_key", { Bodies.create(key: "XX." + $0.dropFirst(3)) }),
        ("from_name with a control character", "data.from_name", { Bodies.create(key: $0, data: ["from_name": "a\u{1B}b"]) }),
    ]

    @Test(arguments: ruleBreakers.indices)
    func ruleBreakingBodyGets422NamingTheField(_ index: Int) async throws {
        let breaker = Self.ruleBreakers[index]
        let server = try ServerProcess()
        let result = try await HTTPClient(server).send("POST", "/integrations", body: breaker.body(TestKeys.make()))
        #expect(result.status == 422, "\(breaker.name)")
        #expect(result.error["code"] as? String == "invalid_field")
        #expect(result.error["field"] as? String == breaker.field, "\(breaker.name)")
        #expect((result.error["message"] as? String)?.contains(breaker.field) == true)
        #expect(server.home.read("registry.json") == nil)
    }

    @Test func malformedJSONGets400WithThePosition() async throws {
        let server = try ServerProcess()
        let result = try await HTTPClient(server).send("POST", "/integrations", body: Data("{\"integration\": 4,\n \"data\": {".utf8))
        #expect(result.status == 400)
        #expect(result.error["code"] as? String == "malformed_json")
        #expect((result.error["message"] as? String)?.contains("line 2") == true)
        #expect(result.error.keys.contains("field"))
    }

    @Test func bodyOver64KiBGets413() async throws {
        let server = try ServerProcess()
        let padding = String(repeating: "x", count: 70 * 1024)
        let body = Bodies.create(key: TestKeys.make(), data: ["from_name": padding])
        #expect(body.count > 70 * 1024)
        let result = try await HTTPClient(server).send("POST", "/integrations", body: body)
        #expect(result.status == 413)
        #expect(result.error["code"] as? String == "body_too_large")
        #expect(server.home.read("registry.json") == nil)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded"])
    func nonJSONContentTypeGets415(_ contentType: String) async throws {
        let server = try ServerProcess()
        let result = try await HTTPClient(server).send("POST", "/integrations", body: Bodies.create(key: TestKeys.make()), contentType: contentType)
        #expect(result.status == 415)
        #expect(result.error["code"] as? String == "unsupported_media_type")
    }

    @Test func unknownRouteGets404AndWrongMethodGets405() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        let unknown = try await client.send("GET", "/nowhere")
        #expect(unknown.status == 404)
        #expect(unknown.error["code"] as? String == "not_found")

        let put = try await client.send("PUT", "/integrations/1", body: Bodies.json(["status": "inactive"]))
        #expect(put.status == 405)
        #expect(put.error["code"] as? String == "method_not_allowed")
        #expect(put.headers["allow"] == "GET, PATCH, DELETE")

        let delete = try await client.send("DELETE", "/integrations")
        #expect(delete.status == 405)
        #expect(delete.headers["allow"] == "GET, POST")
    }

    @Test func nonNumericIdIs404() async throws {
        let server = try ServerProcess()
        let result = try await HTTPClient(server).send("GET", "/integrations/abc")
        #expect(result.status == 404)
    }
}
