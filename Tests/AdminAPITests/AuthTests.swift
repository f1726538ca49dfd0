import Foundation
import TestSupport
import Testing

@Suite struct AuthTests {
    static let badAuthorizations: [String?] = [nil, "Bearer wrong-token", "Basic YWRtaW46YWRtaW4=", "Bearer", ""]

    @Test(arguments: badAuthorizations)
    func requestsWithoutTheRightBearerTokenGet401AndChangeNothing(_ authorization: String?) async throws {
        let server = try ServerProcess()
        var client = HTTPClient(server)
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: TestKeys.make())).status == 201)
        let before = try #require(server.home.read("registry.json"))

        client.authorization = authorization
        let attempts: [(String, String, Data?)] = [
            ("POST", "/integrations", Bodies.create(key: TestKeys.make())), ("GET", "/integrations", nil), ("GET", "/integrations/1", nil),
            ("PATCH", "/integrations/1", Bodies.json(["status": "inactive"])), ("DELETE", "/integrations/1", nil), ("GET", "/nowhere", nil),
        ]
        for (method, path, body) in attempts {
            let result = try await client.send(method, path, body: body)
            #expect(result.status == 401, "\(method) \(path)")
            #expect(result.error["code"] as? String == "unauthorized")
            #expect(result.headers["www-authenticate"] == "Bearer")
        }
        #expect(server.home.read("registry.json") == before)
    }

    @Test func tokenMayComeFromAFile() async throws {
        let home = TemporaryHome()
        let fileToken = "file-token-\(UUID().uuidString)"
        let file = try home.write("admin.token", fileToken + "\n")
        let server = try ServerProcess(home: home, arguments: ["--admin-token-file", file])
        #expect(try await HTTPClient(server, authorization: "Bearer \(fileToken)").send("GET", "/integrations").status == 200)
        #expect(try await HTTPClient(server).send("GET", "/integrations").status == 401)
    }

    @Test func serverRefusesToStartWithoutAToken() throws {
        let home = TemporaryHome()
        let result = try MailroomBinary.run(
            ["serve", "--listen", "127.0.0.1:0", "--home", home.path], environment: ["MAILROOM_ADMIN_TOKEN": ""], timeout: .seconds(30))
        #expect(result.status == 78)
        #expect(result.stderr.contains("MAILROOM_ADMIN_TOKEN"))
        #expect(!result.stdout.contains("listening"))
    }

    @Test func serverRefusesToStartOnABrokenRegistry() throws {
        let home = TemporaryHome()
        try home.write("registry.json", "{\"next_id\": 1,\n \"integrations\": [}\n")
        let result = try MailroomBinary.run(
            ["serve", "--listen", "127.0.0.1:0", "--home", home.path], environment: ["MAILROOM_ADMIN_TOKEN": "t"], timeout: .seconds(30))
        #expect(result.status == 78)
        #expect(result.stderr.contains(home.registry) && result.stderr.contains("line 2"))
    }

    @Test func serverRefusesToStartWithAnUnreadableTokenFile() throws {
        let home = TemporaryHome()
        let result = try MailroomBinary.run(
            ["serve", "--listen", "127.0.0.1:0", "--home", home.path, "--admin-token-file", home.path + "/absent"], timeout: .seconds(30))
        #expect(result.status == 78)
        #expect(result.stderr.contains(home.path + "/absent"))
    }
}
