import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

@Suite struct StoreTests {
    @Test func missingRegistryIsEmpty() throws {
        let home = TemporaryHome()
        #expect(try RegistryStore(path: home.registry).load().isEmpty)
    }

    @Test func idsStartAtOneAndAreNeverReused() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let first = try store.create(request: Requests.create(key: TestKeys.make()))
        let second = try store.create(request: Requests.create(key: TestKeys.make()))
        try store.remove(id: second.id)
        let third = try store.create(request: Requests.create(key: TestKeys.make()))
        #expect([first.id, second.id, third.id] == [Int]([1, 2, 3]))
        #expect(try store.load().map(\.id) == [1, 3])
    }

    @Test func registryIsWrittenWithMode0600InAFolderItCreates() throws {
        let home = TemporaryHome()
        let path = home.path + "/nested/folder/registry.json"
        try RegistryStore(path: path).create(request: Requests.create(key: TestKeys.make()))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(RegistryStore(path: path).warnings().isEmpty)
    }

    /// Temporary names are unique now, so a killed writer's file is not overwritten by the next write: the next
    /// write removes it under the lock. `.registry.json.tmp` is an older version's name.
    @Test(arguments: [".registry.json.tmp", ".registry.json.0123456789abcdef.tmp"])
    func aKilledWritersTemporaryFileIsGoneAfterTheNextWrite(_ name: String) throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: TestKeys.make()))
        let leftover = try home.write(name, "{\"next_id\": 9, \"integrations\": [")
        var aMinuteAgo = [timespec(tv_sec: time(nil) - 61, tv_nsec: 0), timespec(tv_sec: time(nil) - 61, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, leftover, &aMinuteAgo, 0) == 0)
        try store.create(request: Requests.create(key: TestKeys.make()))
        let names = try FileManager.default.contentsOfDirectory(atPath: home.path)
        #expect(names.filter { $0.contains(".tmp") }.isEmpty, "\(names)")
        #expect(try store.load().map(\.id) == [Int]([1, 2]))
    }

    @Test func groupReadableRegistryGetsAWarningNamingTheFile() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: TestKeys.make()))
        chmod(home.registry, 0o644)
        let warnings = store.warnings()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains(home.registry) == true)
    }

    @Test func updateWithoutChangeKeysKeepsTheStoredKey() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let original = TestKeys.make()
        let config = try store.create(request: Requests.create(key: original))
        let updated = try store.update(
            id: config.id, request: Requests.update(data: ["changeKeys": false, "api_key": TestKeys.make(), "from_name": "Renamed"]))
        #expect(updated.fromName == "Renamed")
        #expect(try Requests.storedKey(home.registry, id: config.id) == APIKey(original))
    }

    @Test func updateWithoutChangeKeysIgnoresEvenAnInvalidKey() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let original = TestKeys.make()
        let config = try store.create(request: Requests.create(key: original))
        try store.update(id: config.id, request: Requests.update(data: ["api_key": "not a key"]))
        #expect(try Requests.storedKey(home.registry, id: config.id) == APIKey(original))
    }

    @Test func updateWithChangeKeysReplacesTheStoredKey() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let config = try store.create(request: Requests.create(key: TestKeys.make()))
        let replacement = TestKeys.make()
        try store.update(id: config.id, request: Requests.update(data: ["changeKeys": true, "api_key": replacement]))
        #expect(try Requests.storedKey(home.registry, id: config.id) == APIKey(replacement))
        #expect(try store.config(id: config.id).apiKey == .literal(APIKey(replacement)))
    }

    @Test func changeKeysWithoutAKeyIsRefusedAndChangesNothing() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let config = try store.create(request: Requests.create(key: TestKeys.make()))
        let before = try Data(contentsOf: URL(fileURLWithPath: home.registry))
        let error = #expect(throws: RegistryError.self) {
            try store.update(id: config.id, request: Requests.update(data: ["changeKeys": true, "environment": "production"]))
        }
        #expect(error?.field == "data.api_key")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.registry)) == before)
    }

    @Test func updateChangesOnlyTheFieldsGivenAndStampsUpdatedAt() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let config = try store.create(request: Requests.create(key: TestKeys.make()))
        Thread.sleep(forTimeInterval: 0.005)
        let updated = try store.update(id: config.id, request: Requests.update(data: ["environment": "production"], top: ["status": "inactive"]))
        #expect(updated.environment == .production)
        #expect(updated.status == .inactive)
        #expect(updated.fromEmail == config.fromEmail)
        #expect(updated.createdAt == config.createdAt)
        #expect(updated.updatedAt > config.updatedAt)
    }

    @Test func statusChangesAreStored() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let config = try store.create(request: Requests.create(key: TestKeys.make()))
        try store.setStatus(id: config.id, .inactive)
        #expect(try store.config(id: config.id).isActive == false)
        try store.setStatus(id: config.id, .active)
        #expect(try store.config(id: config.id).isActive)
    }

    @Test func unknownIDsExit66() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let operations: [() throws -> Void] = [
            { _ = try store.config(id: 9) }, { try store.update(id: 9, request: Requests.update(data: [:])) },
            { try store.setStatus(id: 9, .inactive) }, { try store.remove(id: 9) },
        ]
        for operation in operations {
            let error = #expect(throws: RegistryError.self) { try operation() }
            #expect(error == .unknownID(9))
            #expect(error?.exitStatus == .noInput)
        }
    }

    @Test func brokenRegistryStopsEveryOperationNamingPathAndPosition() throws {
        let home = TemporaryHome()
        try home.write("registry.json", "{\"next_id\": 2,\n  \"integrations\": [\n    {\"id\": 1,, }]}\n")
        let store = RegistryStore(path: home.registry)
        let operations: [() throws -> Void] = [
            { _ = try store.load() }, { try store.create(request: Requests.create(key: TestKeys.make())) },
            { try store.remove(id: 1) },
        ]
        for operation in operations {
            let error = #expect(throws: RegistryError.self) { try operation() }
            #expect(error?.exitStatus == .configuration)
            #expect(error?.description.contains(home.registry) == true)
            #expect(error?.description.contains("line 3, column") == true, "\(error?.description ?? "")")
        }
    }

    @Test func registryWithABadRecordNamesTheRecordsField() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: "env:K"))
        let text = try #require(home.read("registry.json")).replacingOccurrences(of: "\"stage\"", with: "\"qa\"")
        try home.write("registry.json", text)
        let error = #expect(throws: RegistryError.self) { try store.load() }
        #expect(error?.exitStatus == .configuration)
        #expect(error?.description.contains("integrations[0].data.environment") == true)
    }

    @Test func aStoreSeesChangesMadeByAnotherWriterEvenOfTheSameSize() throws {
        let home = TemporaryHome()
        let reader = RegistryStore(path: home.registry)
        let writer = RegistryStore(path: home.registry)
        try writer.create(request: Requests.create(key: TestKeys.make(), data: ["from_name": "Aaaa"]))
        #expect(try reader.config(id: 1).fromName == "Aaaa")
        let size = try FileManager.default.attributesOfItem(atPath: home.registry)[.size] as? Int
        try writer.update(id: 1, request: Requests.update(data: ["from_name": "Bbbb"]))
        #expect(try FileManager.default.attributesOfItem(atPath: home.registry)[.size] as? Int == size)
        #expect(try reader.config(id: 1).fromName == "Bbbb")
        try reader.update(id: 1, request: Requests.update(data: ["from_name": "Cccc"]))
        #expect(try writer.config(id: 1).fromName == "Cccc")
    }

    @Test func concurrentWritersInOneProcessLoseNoUpdate() async throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let ids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                let key = TestKeys.make()
                group.addTask { try store.create(request: Requests.create(key: key)).id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids).count == 20)
        #expect(try store.load().count == 20)
    }
}
