import Foundation
import TestSupport
import Testing

@Suite struct AccessLogTests {
    @Test func accessLogHasMethodPathStatusAndDurationButNoTokenBodyOrKey() async throws {
        let server = try ServerProcess()
        let client = HTTPClient(server)
        let key = TestKeys.make()
        #expect(try await client.send("POST", "/integrations", body: Bodies.create(key: key)).status == 201)
        #expect(
            try await client.send("PATCH", "/integrations/1", body: Bodies.json(["data": ["changeKeys": true, "api_key": TestKeys.make()]])).status
                == 200)
        #expect(try await HTTPClient(server, authorization: "Bearer nope").send("GET", "/integrations").status == 401)
        #expect(server.stop() == 0)

        let log = server.stderr
        #expect(log.contains(/POST \/integrations 201 \d+\.\dms/))
        #expect(log.contains(/PATCH \/integrations\/1 200 \d+\.\dms/))
        #expect(log.contains(/GET \/integrations 401 \d+\.\dms/))
        #expect(!log.contains(server.token))
        #expect(!log.contains("Bearer"))
        #expect(!log.contains("nope"))
        #expect(!log.contains("notifications@yourcompany.com.br"))
        SecretScanner.expectClean(server.printed, context: "mailroom serve output")
    }

    @Test func readyLineNamesTheBoundPort() throws {
        let server = try ServerProcess()
        #expect(server.port > 0)
        #expect(server.printed.contains("mailroom serve listening on 127.0.0.1:\(server.port)\n"))
    }
}
