import Foundation
import MailroomCore
import TestSupport
import Testing

/// The fuzzers' committed seed corpus (`Fuzz/corpus/`), replayed in `make test` with the fuzz targets' checks,
/// so every input a fuzzer once broke Mailroom with (`regression-*`) stays fixed without a fuzzer build.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fuzz/corpus").standardized.path

    static func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []).sorted()
    }

    @Test func everyJobSeedKeepsTheParsersPromises() throws {
        let names = Self.files("job")
        #expect(names.count >= 10 && names.contains { $0.hasPrefix("regression-") })
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/job/" + name))
            do {
                let job = try JobParser.parse(data, now: Date(timeIntervalSince1970: 1_767_225_600))
                #expect((1...1000).contains(job.recipientCount), "\(name)")
            } catch {
                let text = error.description
                #expect(!error.field.isEmpty, "\(name): a refusal without a field")
                #expect(!text.contains("\n") && !text.contains("\r"), "\(name): a refusal on several lines")
                #expect(text.utf8.count < 500, "\(name): a refusal of \(text.utf8.count) bytes: \(text.prefix(120))…")
            }
        }
    }

    @Test func everyRegistrySeedGetsAOneLineAnswerWithoutAKey() throws {
        let names = Self.files("registry")
        #expect(names.count >= 5)
        let home = TemporaryHome()
        for name in names {
            let result = try MailroomBinary.run(["integrations", "add", Self.root + "/registry/" + name, "--home", home.path])
            #expect([0, 65].contains(result.status), "\(name): exit \(result.status): \(result.stderr)")
            if result.status != 0 {
                #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
                #expect(!result.stderr.contains("SG.x"), "\(name): the error echoes the key")
            }
        }
    }
}
