import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

@Suite struct ResponseShapeTests {
    @Test func responseHasThePlatformsKeysAndMetadataAndNoKey() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let config = try RegistryStore(path: home.registry).create(request: Requests.create(key: key))
        let text = String(decoding: IntegrationResponse.json(for: config), as: UTF8.self)
        let response = try Fixtures.object(text)
        let sample = try Fixtures.object(try Fixtures.text("integrations/create-response-example.json"))

        #expect(Set(response.keys) == Set(sample.keys))
        #expect(
            NSDictionary(dictionary: response["integration"] as? [String: Any] ?? [:]).isEqual(to: sample["integration"] as? [String: Any] ?? [:]))
        let data = try #require(response["data"] as? [String: Any])
        #expect(Set(data.keys) == ["changeKeys", "environment", "from_email", "from_name"])
        #expect(data["changeKeys"] as? Bool == false)
        #expect(data["environment"] as? String == "stage")
        #expect(data["from_email"] as? String == "notifications@yourcompany.com.br")
        #expect(data["from_name"] as? String == "Enspace Notifications")
        #expect(response["status"] as? String == "active")
        #expect(response["id"] as? Int == config.id)
        #expect(!text.contains("api_key"))
        SecretScanner.expectClean(text, context: "response shape")
    }

    @Test func responseTimestampsAreUTCWithMilliseconds() throws {
        let home = TemporaryHome()
        let config = try RegistryStore(path: home.registry).create(request: Requests.create(key: TestKeys.make()))
        let response = try Fixtures.object(String(decoding: IntegrationResponse.json(for: config), as: UTF8.self))
        for field in ["created_at", "updated_at"] {
            let stamp = try #require(response[field] as? String)
            #expect(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(field) = \(stamp)")
            #expect(Timestamps.parse(stamp) != nil)
        }
    }

    @Test func responseKeepsThePlatformsKeyOrderAndIsStable() throws {
        let home = TemporaryHome()
        let config = try RegistryStore(path: home.registry).create(request: Requests.create(key: TestKeys.make()))
        let text = String(decoding: IntegrationResponse.json(for: config, pretty: false), as: UTF8.self)
        let platformOrder =
            #/
            \{"id":1,"data":\{"changeKeys":false,"environment":"stage","from_email":"[^"]+","from_name":"[^"]*"\},
            "integration":\{"id":4,"name":"Sendgrid",[^}]*"media":\[\]\},"status":"active","created_at":"[^"]+","updated_at":"[^"]+"\}\n
            /#
        #expect(text.wholeMatch(of: platformOrder) != nil, "\(text)")
        #expect(IntegrationResponse.json(for: config, pretty: false) == IntegrationResponse.json(for: config, pretty: false))
    }

    @Test func listResponseIsAnArrayOfResponseShapes() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: TestKeys.make()))
        try store.create(request: Requests.create(key: TestKeys.make(), data: ["environment": "production"]))
        let text = String(decoding: IntegrationResponse.json(for: try store.load()), as: UTF8.self)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(array.map { $0["id"] as? Int } == [1, 2])
        #expect(!text.contains("api_key"))
        SecretScanner.expectClean(text, context: "list response")
    }
}
