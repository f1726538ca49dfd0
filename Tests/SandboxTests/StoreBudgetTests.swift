import Foundation
import TestSupport
import Testing

/// What a sandbox left running on a shared host keeps: within `--max-bytes` (oldest evicted, in
/// memory and on disk), store files readable by their owner only.
@Suite(.serialized)
struct StoreBudgetTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func storeFilesAreWrittenForTheirOwnerOnly() throws {
        let home = TemporaryHome()
        let folder = home.path + "/store"
        let sandbox = try SandboxProcess(["--store", folder])
        defer { sandbox.stop() }
        let id = try #require(try sandbox.send(SandboxFixtures.validBody(), key: TestKeys.make()).headers["x-message-id"])
        #expect(try Self.mode(folder) == 0o700)
        #expect(try Self.mode(folder + "/" + id + ".json") == 0o600)
    }

    @Test func theByteBudgetEvictsTheOldestMessagesInMemoryAndOnDisk() throws {
        let home = TemporaryHome()
        let folder = home.path + "/store"
        // Each record is about 400 bytes: a 2K budget keeps the newest four or five.
        let sandbox = try SandboxProcess(["--store", folder, "--max-bytes", "2K"])
        defer { sandbox.stop() }
        let key = TestKeys.make()
        let ids = try (0..<12).map { index in
            try #require(try sandbox.send(SandboxFixtures.validBody(to: "b\(index)@example.com"), key: key).headers["x-message-id"])
        }
        let kept = try sandbox.messages().compactMap { $0["id"] as? String }
        #expect(kept.count >= 3 && kept.count < 12)
        #expect(kept == Array(ids.suffix(kept.count)), "the newest are kept, in order")
        let stored = try sandbox.request("GET", "/messages?view=summary&limit=1").object()["stored"] as? [String: Any]
        #expect((stored?["bytes"] as? Int ?? .max) <= 2048)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == kept.map { $0 + ".json" }.sorted(), "evicted messages leave the folder too")
    }

    @Test func aStoreReloadedUnderASmallerBudgetKeepsOnlyTheNewest() throws {
        let home = TemporaryHome()
        let folder = home.path + "/store"
        var ids: [String] = []
        do {
            let sandbox = try SandboxProcess(["--store", folder])
            defer { sandbox.stop() }
            let key = TestKeys.make()
            for index in 0..<6 {
                ids.append(try #require(try sandbox.send(SandboxFixtures.validBody(to: "r\(index)@example.com"), key: key).headers["x-message-id"]))
            }
        }
        let again = try SandboxProcess(["--store", folder, "--max-bytes", "1K"])
        defer { again.stop() }
        let kept = try again.messages().compactMap { $0["id"] as? String }
        #expect(!kept.isEmpty && kept.count < 6)
        #expect(kept == Array(ids.suffix(kept.count)))
    }

    @Test func aBadBudgetIsAUsageError() throws {
        for value in ["0", "-5", "lots", "12X", "99999999999G"] {
            let result = try MailroomBinary.run(["sandbox", "--listen", "127.0.0.1:0", "--max-bytes=" + value])
            #expect(result.status == 64, "--max-bytes \(value)")
            #expect(result.stderr.contains("--max-bytes \(value): expected a positive size"), "\(result.stderr)")
        }
    }
}
