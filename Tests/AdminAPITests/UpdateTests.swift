import Foundation
import MailroomCore
import TestSupport
import Testing

@Suite struct UpdateTests {
    @Test func patchWithChangeKeysFalseKeepsTheKeyAndTrueReplacesIt() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        let original = TestKeys.make()
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: original)).status == 201)

        let keep = try await client.send(
            "PATCH", "/integrations/1", body: Bodies.json(["data": ["changeKeys": false, "api_key": TestKeys.make(), "from_name": "Ops"]]))
        #expect(keep.status == 200)
        #expect((keep.object["data"] as? [String: Any])?["from_name"] as? String == "Ops")
        #expect(try Bodies.storedKey(server.home.registry, id: 1) == APIKey(original))

        let replacement = TestKeys.make()
        let change = try await client.send("PATCH", "/integrations/1", body: Bodies.json(["data": ["changeKeys": true, "api_key": replacement]]))
        #expect(change.status == 200)
        #expect(try Bodies.storedKey(server.home.registry, id: 1) == APIKey(replacement))
        #expect(!change.body.contains("api_key"))
    }

    @Test func patchStatusInactiveDeactivates() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: TestKeys.make())).status == 201)
        let patched = try await client.send("PATCH", "/integrations/1", body: Bodies.json(["status": "inactive"]))
        #expect(patched.status == 200)
        #expect(patched.object["status"] as? String == "inactive")
        #expect(try await client.send("GET", "/integrations/1").object["status"] as? String == "inactive")
    }

    @Test func patchOfAnUnknownIdIs404() async throws {
        let server = try ServerProcess()
        let result = try await HTTPClient(server).send("PATCH", "/integrations/7", body: Bodies.json(["status": "inactive"]))
        #expect(result.status == 404)
        #expect(result.error["code"] as? String == "not_found")
    }
}
