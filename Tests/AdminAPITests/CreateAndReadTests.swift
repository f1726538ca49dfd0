import Foundation
import TestSupport
import Testing

@Suite struct CreateAndReadTests {
    @Test func platformSampleRequestGets201AndTheResponseShape() async throws {
        let server = try ServerProcess()
        let sampleRequest = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("integrations/create-request.json")))
        let result = try await HTTPClient(server).send("POST", "/integrations", body: sampleRequest)
        #expect(result.status == 201)
        #expect(result.headers["content-type"]?.hasPrefix("application/json") == true)
        let response = result.object
        let sample = try Fixtures.object(try Fixtures.text("integrations/create-response-example.json"))
        #expect(Set(response.keys) == Set(sample.keys))
        #expect(
            NSDictionary(dictionary: response["integration"] as? [String: Any] ?? [:]).isEqual(to: sample["integration"] as? [String: Any] ?? [:]))
        let data = try #require(response["data"] as? [String: Any])
        #expect(Set(data.keys) == ["changeKeys", "environment", "from_email", "from_name"])
        #expect(data["changeKeys"] as? Bool == false)
        #expect(data["environment"] as? String == "stage")
        #expect(response["status"] as? String == "active")
        #expect(!result.body.contains("api_key"))
        #expect(!result.body.contains("SG.xxxxxxxxxxxxxxxxxxxx"))
    }

    @Test func listAndShowReturnResponseShapesWithoutKeys() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        let keys = [TestKeys.make(), TestKeys.make()]
        for key in keys { #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: key)).status == 201) }

        let list = try await client.send("GET", "/integrations")
        #expect(list.status == 200)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
        #expect(array.compactMap { $0["id"] as? Int } == [Int]([1, 2]))
        #expect(!list.body.contains("api_key"))

        let one = try await client.send("GET", "/integrations/2")
        #expect(one.status == 200)
        #expect(one.object["id"] as? Int == 2)
        #expect(!one.body.contains("api_key"))
    }

    @Test func deleteAnswers204AndTheIdIsGone() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: TestKeys.make())).status == 201)
        let removed = try await client.send("DELETE", "/integrations/1")
        #expect(removed.status == 204)
        #expect(removed.body.isEmpty)
        let gone = try await client.send("GET", "/integrations/1")
        #expect(gone.status == 404)
        #expect(gone.error["code"] as? String == "not_found")
        #expect(try await client.send("DELETE", "/integrations/1").status == 404)
    }

    @Test func httpAndCLIShareOneRegistry() async throws {
        let server = try ServerProcess()
        #expect(try await HTTPClient(server).send("POST", "/integrations", body: Bodies.create(key: TestKeys.make())).status == 201)
        let show = try MailroomBinary.run(server.home.arguments(["integrations", "show", "1"]))
        #expect(show.status == 0)
        #expect(try Fixtures.object(show.stdout)["id"] as? Int == 1)

        #expect(try MailroomBinary.run(server.home.arguments(["integrations", "add"]), stdin: Bodies.create(key: TestKeys.make())).status == 0)
        let two = try await HTTPClient(server).send("GET", "/integrations/2")
        #expect(two.status == 200)
    }
}
