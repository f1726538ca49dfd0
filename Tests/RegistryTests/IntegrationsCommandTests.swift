import Foundation
import MailroomCore
import TestSupport
import Testing

/// Every `mailroom integrations` command, through the built binary, in a fresh home.
@Suite struct IntegrationsCommandTests {
    func mailroom(_ home: TemporaryHome, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try MailroomBinary.run(home.arguments(["integrations"] + arguments), stdin: stdin)
    }

    func object(_ result: ProcessResult) throws -> [String: Any] {
        try Fixtures.object(result.stdout)
    }

    @Test func addingThePlatformsSampleRequestPrintsTheResponseShape() throws {
        let home = TemporaryHome()
        let result = try mailroom(home, ["add", Fixtures.path("integrations/create-request.json")])
        #expect(result.status == 0, "\(result.stderr)")
        let response = try object(result)
        let sample = try Fixtures.object(try Fixtures.text("integrations/create-response-example.json"))
        #expect(Set(response.keys) == Set(sample.keys))
        #expect(
            NSDictionary(dictionary: response["integration"] as? [String: Any] ?? [:]).isEqual(to: sample["integration"] as? [String: Any] ?? [:]))
        let data = try #require(response["data"] as? [String: Any])
        #expect(Set(data.keys) == ["changeKeys", "environment", "from_email", "from_name"])
        #expect(data["changeKeys"] as? Bool == false)
        #expect(response["status"] as? String == "active")
        for field in ["created_at", "updated_at"] {
            #expect((response[field] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        }
        #expect(!result.output.contains("api_key"))
        #expect(!result.output.contains("SG.xxxxxxxxxxxxxxxxxxxx"))
    }

    @Test func addReadsTheRequestFromStdin() throws {
        let home = TemporaryHome()
        let result = try mailroom(home, ["add", "-"], stdin: Requests.create(key: TestKeys.make()))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try object(result)["id"] as? Int == 1)
    }

    @Test func everyCommandWorksOnTheSameConfig() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        #expect(try mailroom(home, ["add"], stdin: Requests.create(key: key)).status == 0)

        let list = try mailroom(home, ["list"])
        #expect(list.status == 0)
        let row = try #require(list.stdout.split(separator: "\n").dropFirst().first)
        #expect(row.contains("1") && row.contains("sendgrid") && row.contains("stage") && row.contains("active"))
        #expect(row.contains("notifications@yourcompany.com.br"))
        #expect(row.contains(/sha256:[0-9a-f]{12}/))

        let listJSON = try mailroom(home, ["list", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listJSON.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows.first?["key_fingerprint"] as? String)?.hasPrefix("sha256:") == true)

        let show = try mailroom(home, ["show", "1"])
        #expect(show.status == 0)
        #expect(try object(show)["id"] as? Int == 1)

        let update = try mailroom(home, ["update", "1", "-"], stdin: Requests.update(data: ["from_name": "Ops"]))
        #expect(update.status == 0)
        #expect((try object(update)["data"] as? [String: Any])?["from_name"] as? String == "Ops")

        let deactivate = try mailroom(home, ["deactivate", "1"])
        #expect(try object(deactivate)["status"] as? String == "inactive")
        let activate = try mailroom(home, ["activate", "1"])
        #expect(try object(activate)["status"] as? String == "active")

        let remove = try mailroom(home, ["remove", "1"])
        #expect(remove.status == 0)
        #expect(remove.stdout.contains("removed integration 1"))
        #expect(try mailroom(home, ["show", "1"]).status == 66)
        #expect(try Requests.storedFile(home.registry)["next_id"] as? Int == 2)
    }

    @Test func updateWithChangeKeysFalseKeepsTheKeyAndTrueReplacesIt() throws {
        let home = TemporaryHome()
        let original = TestKeys.make()
        #expect(try mailroom(home, ["add"], stdin: Requests.create(key: original)).status == 0)

        let ignored = TestKeys.make()
        let keep = try mailroom(home, ["update", "1"], stdin: Requests.update(data: ["changeKeys": false, "api_key": ignored]))
        #expect(keep.status == 0, "\(keep.stderr)")
        #expect(try Requests.storedKey(home.registry, id: 1) == APIKey(original))

        let replacement = TestKeys.make()
        let change = try mailroom(home, ["update", "1"], stdin: Requests.update(data: ["changeKeys": true, "api_key": replacement]))
        #expect(change.status == 0, "\(change.stderr)")
        #expect(try Requests.storedKey(home.registry, id: 1) == APIKey(replacement))
        #expect(!change.output.contains("api_key"))
    }

    @Test func listShowsAReferenceAsWrittenAndAStoredKeyAsAHash() throws {
        let home = TemporaryHome()
        #expect(try mailroom(home, ["add"], stdin: Requests.create(key: "env:SENDGRID_STAGE_KEY")).status == 0)
        let list = try mailroom(home, ["list"])
        #expect(list.stdout.contains("env:SENDGRID_STAGE_KEY"))
    }

    @Test func registryAndHomeFollowTheirFlagsAndEnvironment() throws {
        let home = TemporaryHome()
        let elsewhere = home.path + "/elsewhere/reg.json"
        let viaFlag = try MailroomBinary.run(
            ["integrations", "add", "--registry", elsewhere], stdin: Requests.create(key: TestKeys.make()))
        #expect(viaFlag.status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere))

        let viaEnvironment = try MailroomBinary.run(
            ["integrations", "add"], stdin: Requests.create(key: TestKeys.make()), environment: ["MAILROOM_HOME": home.path + "/envhome"])
        #expect(viaEnvironment.status == 0)
        #expect(FileManager.default.fileExists(atPath: home.path + "/envhome/registry.json"))
    }

    @Test func groupReadableRegistryIsWarnedAbout() throws {
        let home = TemporaryHome()
        #expect(try mailroom(home, ["add"], stdin: Requests.create(key: TestKeys.make())).status == 0)
        chmod(home.registry, 0o640)
        let list = try mailroom(home, ["list"])
        #expect(list.status == 0)
        #expect(list.stderr.contains("warning") && list.stderr.contains(home.registry))
    }

    @Test(arguments: ["show", "update", "activate", "deactivate", "remove"])
    func unknownIDExits66(_ command: String) throws {
        let home = TemporaryHome()
        #expect(try mailroom(home, ["add"], stdin: Requests.create(key: TestKeys.make())).status == 0)
        let before = try #require(home.read("registry.json"))
        let result = try mailroom(home, [command, "42"], stdin: Requests.update(data: [:]))
        #expect(result.status == 66)
        #expect(result.stderr == "mailroom: no integration with id 42\n")
        #expect(home.read("registry.json") == before)
    }

    @Test(arguments: ["list", "show", "add", "update", "activate", "deactivate", "remove"])
    func brokenRegistryStopsEveryCommandWithExit78(_ command: String) throws {
        let home = TemporaryHome()
        try home.write("registry.json", "{\"next_id\": 2,\n  \"integrations\": [\n    {\"id\": 1,, }]}\n")
        let arguments = ["list", "add"].contains(command) ? [command] : [command, "1"]
        let result = try mailroom(home, arguments, stdin: Requests.create(key: TestKeys.make()))
        #expect(result.status == 78)
        #expect(result.stderr.contains(home.registry))
        #expect(result.stderr.contains("line 3, column"))
    }

    @Test func missingRequestFileExits66() throws {
        let home = TemporaryHome()
        let result = try mailroom(home, ["add", home.path + "/absent.json"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("absent.json"))
    }
}
