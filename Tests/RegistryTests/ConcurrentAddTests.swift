import Foundation
import MailroomCore
import TestSupport
import Testing

/// Twenty `mailroom integrations add` processes at once: the file lock must keep every update.
@Suite struct ConcurrentAddTests {
    @Test func twentyConcurrentAddsGetTwentyDistinctIdsAndAValidFile() throws {
        let home = TemporaryHome()
        let keys = (0..<20).map { _ in TestKeys.make() }
        let results = try ParallelRuns.run(keys.map { (home.arguments(["integrations", "add", "-"]), Requests.create(key: $0)) }, in: home)
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            SecretScanner.expectClean(result.output, context: "concurrent add")
        }
        let ids = results.compactMap { try? Fixtures.object($0.stdout)["id"] as? Int }
        #expect(Set(ids).count == 20)
        #expect(Set(ids) == Set(1...20))

        let file = try Requests.storedFile(home.registry)
        let records = try #require(file["integrations"] as? [[String: Any]])
        #expect(records.count == 20)
        #expect(Set(records.compactMap { $0["id"] as? Int }) == Set(ids))
        #expect(Set(records.compactMap { ($0["data"] as? [String: Any])?["api_key"] as? String }.map(APIKey.init)) == Set(keys.map(APIKey.init)))
        #expect(file["next_id"] as? Int == 21)
        #expect(try MailroomBinary.run(home.arguments(["integrations", "list"])).status == 0)
    }
}

/// Starts several `mailroom` processes at once (all running before any is waited for), each with its
/// own stdin, stdout and stderr files, and collects their results.
enum ParallelRuns {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    static func run(_ runs: [(arguments: [String], stdin: Data)], in home: TemporaryHome) throws -> [Result] {
        let folder = home.path + "/parallel-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var processes: [(Process, String)] = []
        for (index, run) in runs.enumerated() {
            let base = "\(folder)/\(index)"
            try run.stdin.write(to: URL(fileURLWithPath: base + ".in"))
            FileManager.default.createFile(atPath: base + ".out", contents: nil)
            FileManager.default.createFile(atPath: base + ".err", contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: MailroomBinary.path)
            process.arguments = run.arguments
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: base + ".in"))
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
            processes.append((process, base))
        }
        for (process, _) in processes { try process.run() }
        return processes.map { process, base in
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus,
                stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
        }
    }
}
