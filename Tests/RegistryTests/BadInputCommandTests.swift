import Foundation
import TestSupport
import Testing

/// Issue 2's bad inputs through `mailroom integrations add` and `update`: exit 65, one line naming the
/// field, nothing written.
@Suite struct BadInputCommandTests {
    @Test(arguments: ValidationTests.badInputs)
    func badAddExits65NamingTheFieldAndWritesNothing(_ input: ValidationTests.BadInput) throws {
        let home = TemporaryHome()
        let result = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: input.body(TestKeys.make()))
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("mailroom: invalid integration: \(input.field): "), "\(result.stderr)")
        #expect(result.stderr.contains(input.words))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test func malformedJSONExits65WithThePosition() throws {
        let home = TemporaryHome()
        let result = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: Data("{\"integration\": 4,\n  \"data\": {]}".utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("not valid JSON at line 2, column"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test(arguments: [
        ("{\"data\": {\"environment\": \"qa\"}}", "data.environment"),
        ("{\"data\": {\"from_email\": \"nobody\"}}", "data.from_email"),
        ("{\"data\": {\"from_name\": \"a\\u0000b\"}}", "data.from_name"),
        ("{\"data\": {\"region\": \"eu\"}}", "data.region"),
        ("{\"data\": {\"changeKeys\": \"yes\"}}", "data.changeKeys"),
        ("{\"integration\": 5}", "integration"),
        ("{\"status\": \"on\"}", "status"),
    ])
    func badUpdateExits65NamingTheFieldAndChangesNothing(_ body: String, _ field: String) throws {
        let home = TemporaryHome()
        #expect(try MailroomBinary.run(home.arguments(["integrations", "add"]), stdin: Requests.create(key: TestKeys.make())).status == 0)
        let before = try #require(home.read("registry.json"))
        let result = try MailroomBinary.run(home.arguments(["integrations", "update", "1"]), stdin: Data(body.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("mailroom: invalid integration: \(field): "), "\(result.stderr)")
        #expect(home.read("registry.json") == before)
    }
}
