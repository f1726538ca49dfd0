import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

/// A key given twice in a create or update request (where JSON readers disagree on which value wins) is refused
/// like any other broken rule, naming the key's path, as in a job: exit 65, nothing written, the key nowhere.
@Suite struct DuplicateKeyTests {
    /// The sample create request as text, with `extra` added inside `data` (after its own members) and `top` at
    /// the end of the body, so the repeated key comes second.
    static func createText(key: String, extra: String = "", top: String = "") -> Data {
        let data = #""environment": "stage", "api_key": "\#(key)", "from_email": "notifications@example.com", "from_name": "Ops""#
        return Data(#"{"integration": 4, "data": {\#(data)\#(extra)}\#(top)}"#.utf8)
    }

    @Test func aRepeatedKeyInDataIsRefusedNamingItsPathAndNothingIsWritten() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let store = RegistryStore(path: home.registry)
        let error = #expect(throws: RegistryError.self) {
            try store.create(request: Self.createText(key: key, extra: #", "api_key": "\#(TestKeys.make())""#))
        }
        #expect(error == .invalid(field: "data.api_key", message: "appears twice in the same object"))
        #expect(error?.exitStatus == .dataError)
        SecretScanner.expectClean(error?.description ?? "", context: "duplicate api_key")
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test func aRepeatedTopLevelKeyIsRefusedByName() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let error = #expect(throws: RegistryError.self) {
            try store.create(request: Self.createText(key: TestKeys.make(), top: #", "status": "active", "status": "inactive""#))
        }
        #expect(error?.field == "status")
    }

    @Test func aRepeatedKeyNamedLikeAnAPIKeyIsNotEchoed() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let store = RegistryStore(path: home.registry)
        let error = #expect(throws: RegistryError.self) {
            try store.create(request: Self.createText(key: TestKeys.make(), extra: #", "\#(key)": 1, "\#(key)": 2"#))
        }
        #expect(error?.field == "data.(a field named like an API key)")
        SecretScanner.expectClean(error?.description ?? "", context: "duplicate key named like a key")
    }

    @Test func addWithARepeatedKeyExits65WithOneLineNamingThePath() throws {
        let home = TemporaryHome()
        let body = Self.createText(key: TestKeys.make(), extra: #", "from_email": "other@example.com""#)
        let result = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: body)
        #expect(result.status == 65)
        #expect(result.stderr == "mailroom: invalid integration: data.from_email: appears twice in the same object\n", "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        SecretScanner.expectClean(result.stdout + result.stderr, context: "add with a repeated key")
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test func updateWithARepeatedKeyExits65AndChangesNothing() throws {
        let home = TemporaryHome()
        let add = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: Self.createText(key: TestKeys.make()))
        #expect(add.status == 0, "\(add.stderr)")
        let before = try #require(home.read("registry.json"))
        let body = Data(#"{"data": {"changeKeys": true, "api_key": "\#(TestKeys.make())", "changeKeys": false}}"#.utf8)
        let result = try MailroomBinary.run(home.arguments(["integrations", "update", "1", "-"]), stdin: body)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("mailroom: invalid integration: data.changeKeys: appears twice"), "\(result.stderr)")
        SecretScanner.expectClean(result.stdout + result.stderr, context: "update with a repeated key")
        #expect(home.read("registry.json") == before)
    }

    @Test func aRegistryFileWithARepeatedKeyIsBrokenNamingThePath() throws {
        let home = TemporaryHome()
        let record = #"{"id": 1, "id": 2, "integration": 4, "status": "active", "data": {}, "created_at": "x", "updated_at": "x"}"#
        try home.write("registry.json", #"{"next_id": 3, "integrations": [\#(record)]}"#)
        let error = #expect(throws: RegistryError.self) { try RegistryStore(path: home.registry).load() }
        #expect(error?.exitStatus == .configuration)
        #expect(error?.description.contains("integrations[0].id: appears twice in the same object") == true, "\(error?.description ?? "")")
    }
}
