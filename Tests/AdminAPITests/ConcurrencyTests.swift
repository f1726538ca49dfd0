import Foundation
import MailroomCore
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func fiftyConcurrentPostsGetFiftyDistinctIdsAndAValidFile() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        let keys = (0..<50).map { _ in TestKeys.make() }
        let results = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
            for key in keys {
                group.addTask { try await client.send("POST", "/integrations", body: Bodies.create(key: key)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 201 })
        let ids = results.compactMap { $0.object["id"] as? Int }
        #expect(Set(ids).count == 50)

        let file = try Fixtures.object(try #require(server.home.read("registry.json")))
        let records = try #require(file["integrations"] as? [[String: Any]])
        #expect(Set(records.compactMap { $0["id"] as? Int }) == Set(ids))
        #expect(Set(records.compactMap { ($0["data"] as? [String: Any])?["api_key"] as? String }.map(APIKey.init)) == Set(keys.map(APIKey.init)))
        #expect(try MailroomBinary.run(server.home.arguments(["integrations", "list"])).status == 0)
    }
}
