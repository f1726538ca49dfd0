import Foundation
import MailroomCore
import TestSupport
import Testing

/// The hostile-input corpus in `fixtures/bad-jobs/`: every file must be refused, naming the field that
/// `expected.json` gives for it.
enum BadJobCorpus {
    static let folder = Fixtures.path("bad-jobs")

    /// `file name -> expected field`, from `expected.json`.
    static let expected: [String: String] = {
        guard let data = FileManager.default.contents(atPath: folder + "/expected.json"),
            let map = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return map
    }()

    static var names: [String] { expected.keys.sorted() }
}

@Suite struct BadJobCorpusTests {
    @Test func corpusIsLargeAndEveryFileHasAnExpectedField() throws {
        #expect(BadJobCorpus.expected.count >= 45)
        let files = try FileManager.default.contentsOfDirectory(atPath: BadJobCorpus.folder)
            .filter { $0.hasSuffix(".json") && $0 != "expected.json" }
        #expect(Set(files) == Set(BadJobCorpus.expected.keys))
    }

    @Test(arguments: BadJobCorpus.names)
    func badJobIsRefusedNamingItsField(file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: BadJobCorpus.folder + "/" + file))
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        do {
            let job = try JobParser.parse(data, now: now)
            Issue.record("\(file) was accepted: \(job.to.count) recipients")
        } catch {
            #expect(error.field == BadJobCorpus.expected[file], "\(file): \(error.description)")
            expectOneLine(error)
        }
    }
}

/// An error's description is what the CLI prints as one line: no line breaks, bounded length.
func expectOneLine(_ error: JobValidationError, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = error.description
    #expect(!text.contains("\n") && !text.contains("\r"), "multi-line: \(text.debugDescription)", sourceLocation: sourceLocation)
    #expect(text.count < 500, "too long (\(text.count)): \(text.prefix(200))", sourceLocation: sourceLocation)
    #expect(text.hasPrefix("invalid job: \(error.field): "), sourceLocation: sourceLocation)
}
