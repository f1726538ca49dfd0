import Foundation
import MailroomCore
import TestSupport
import Testing

/// The worker delivers through the sandbox with the config of its own environment.
@Suite struct DeliveryTests {
    @Test(arguments: ["stage", "production"])
    func drainSendsEveryJobWithTheConfigOfItsEnvironment(environment: String) throws {
        let scenario = try Scenario()
        let stageKey = TestKeys.make()
        let productionKey = TestKeys.make()
        try scenario.addConfig(environment: "stage", key: stageKey, fromEmail: "stage@mailroom.example", fromName: "Stage Sender")
        try scenario.addConfig(environment: "production", key: productionKey, fromEmail: "live@mailroom.example", fromName: "Live Sender")
        let ids = try scenario.publishFixtureJobs(count: 200)

        let result = try scenario.runWorker(["--drain", "--environment", environment, "--log-level", "debug"])
        #expect(result.status == 0, "run failed: \(result.stderr)")

        let isStage = environment == "stage"
        let expectedSender = isStage ? "stage@mailroom.example" : "live@mailroom.example"
        let expectedKey = Fingerprint.of(isStage ? stageKey : productionKey)
        let messages = try scenario.sandbox.messages()
        #expect(messages.count == 200)
        var jobIDs: [String] = []
        for message in messages {
            let request = try #require(message["request"] as? [String: Any])
            let from = request["from"] as? [String: Any]
            #expect(from?["email"] as? String == expectedSender)
            #expect(message["key_fingerprint"] as? String == expectedKey)
            let settings = request["mail_settings"] as? [String: Any]
            let sandboxMode = (settings?["sandbox_mode"] as? [String: Any])?["enable"] as? Bool ?? false
            #expect(sandboxMode == isStage)
            #expect(message["sandbox_mode"] as? Bool == isStage)
            jobIDs.append(try #require((request["custom_args"] as? [String: Any])?["mailroom_job"] as? String))
        }
        #expect(jobIDs.sorted() == ids)

        #expect(try scenario.count("sent") == 200)
        for state in ["ready", "active", "deferred", "held", "failed"] {
            #expect(try scenario.count(state) == 0, "\(state) should be empty")
        }
        let sent = scenario.events("sent")
        #expect(sent.count == 200)
        let loggedIDs = Set(sent.compactMap { $0["message_id"] as? String })
        let sandboxIDs = Set(messages.compactMap { $0["id"] as? String })
        #expect(loggedIDs == sandboxIDs)
        #expect(sent.allSatisfy { $0["environment"] as? String == environment })
        scenario.expectNoKeysOnDisk()
    }

    @Test func logCommandShowsEachOutcomeAsTableAndJSON() throws {
        let scenario = try Scenario()
        try scenario.addConfig(environment: "stage", key: TestKeys.make(), fromEmail: "stage@mailroom.example", fromName: "Stage")
        try scenario.publishFixtureJobs(count: 3)
        try scenario.runWorker(["--drain"])

        let table = try MailroomBinary.run(scenario.home.arguments(["log"]))
        #expect(table.status == 0)
        #expect(table.stdout.contains("job-00001"))
        #expect(table.stdout.components(separatedBy: " sent ").count - 1 == 3)

        let json = try MailroomBinary.run(scenario.home.arguments(["log", "--json", "--job", "job-00002"]))
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let event = try Fixtures.object(String(lines[0]))
        #expect(event["job"] as? String == "job-00002")
        #expect(event["event"] as? String == "sent")
        #expect(event["http_status"] as? Int == 200)

        let none = try MailroomBinary.run(scenario.home.arguments(["log", "--json", "--event", "failed"]))
        #expect(none.stdout.isEmpty)
    }
}
