import Foundation
import TestSupport
import Testing

/// Paths in the checkout: the packaging files, schemas, examples and docs the ops tests keep true.
enum Repository {
    /// The package root (the folder holding `fixtures/`).
    static let root = (Fixtures.root as NSString).deletingLastPathComponent

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}

/// Host tools some ops tests need. Each test that uses one is skipped, saying why, when it is missing.
enum HostTools {
    /// The first executable called `name` on PATH (or in the usual system folders), or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let python3 = find("python3")

    /// Whether `python3` has `jsonschema` 4 or newer (draft 2020-12; `make deps` installs it).
    static let hasJSONSchema: Bool = {
        guard let python3 else { return false }
        return (try? ProcessRunner.run(python3, ["-c", "from jsonschema import Draft202012Validator"], timeout: .seconds(30)).status) == 0
    }()

    static let systemdAnalyze = find("systemd-analyze")
    static let sh = find("sh")
}

extension TemporaryHome {
    /// `mailroom ARGS --home HOME`, expecting exit 0.
    @discardableResult
    func mailroom(_ arguments: [String], stdin: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try MailroomBinary.run(self.arguments(arguments), stdin: stdin, sourceLocation: sourceLocation)
        #expect(
            result.status == 0, "mailroom \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)",
            sourceLocation: sourceLocation)
        return result
    }

    /// The delivery log's events, parsed.
    func deliveryEvents() -> [[String: Any]] {
        (read("log/delivery.jsonl") ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// JSON lines (`list --json`, `log --json`) as objects; a line that is not a JSON object records an issue.
func jsonLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { line in
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            Issue.record("not a JSON object line: \(line.prefix(200))", sourceLocation: sourceLocation)
            return nil
        }
        return object
    }
}
