import Foundation
import Glibc
import TestSupport
import Testing

/// Helpers the spool tests share: a spool in a temporary home, folder listings, and JSON parsing of output.
struct SpoolFixture {
    let home: TemporaryHome

    init(function: String = #function) {
        home = TemporaryHome(function: function)
    }

    var spool: String { home.spool }

    /// Runs `mailroom ARGS --home HOME`.
    @discardableResult
    func mailroom(_ arguments: [String], stdin: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        try MailroomBinary.run(home.arguments(arguments), stdin: stdin, sourceLocation: sourceLocation)
    }

    /// Publishes a job file the way an app that writes files itself does: tmp/, then rename into new/.
    func publish(_ id: String, _ body: String) throws {
        try FileManager.default.createDirectory(atPath: spool + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: spool + "/new", withIntermediateDirectories: true)
        let temporary = spool + "/tmp/" + id + ".json"
        try Data(body.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, spool + "/new/" + id + ".json") == 0 else { throw POSIXError(.EIO) }
    }

    /// The visible names in a spool folder (hidden work files excluded), sorted.
    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every name in a spool folder, hidden ones too.
    func everything(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).sorted()
    }

    /// Every job file in every claim folder under active/, as "worker/name".
    func activeNames() -> [String] {
        names("active").flatMap { worker in names("active/" + worker).map { worker + "/" + $0 } }
    }

    func data(_ relative: String) -> Data? {
        FileManager.default.contents(atPath: spool + "/" + relative)
    }

    /// `lstat` type of an entry: "file", "link", "fifo", "dir", or nil when missing.
    func kind(_ relative: String) -> String? {
        var info = stat()
        guard lstat(spool + "/" + relative, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "file"
        case S_IFLNK: return "link"
        case S_IFIFO: return "fifo"
        case S_IFDIR: return "dir"
        default: return "other"
        }
    }

    /// The delivery log's events, parsed.
    func logEvents() -> [[String: Any]] {
        jsonLines(home.read("log/delivery.jsonl") ?? "")
    }
}

/// Parses JSON lines; a line that does not parse records a test failure.
func jsonLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { line in
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            Issue.record("not a JSON object line: \(line.prefix(200))", sourceLocation: sourceLocation)
            return nil
        }
        return object
    }
}

/// Parses one JSON object.
func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
        Issue.record("not a JSON object: \(text.prefix(300))", sourceLocation: sourceLocation)
        return [:]
    }
    return object
}

/// A small valid job addressed to `recipients` people.
func validJob(_ label: String, recipients: Int = 1) -> String {
    let to = (0..<recipients).map { "\"person\($0)@example.com\"" }.joined(separator: ", ")
    return "{\"to\": [\(to)], \"subject\": \"Job \(label)\", \"text\": \"Hello \(label).\"}\n"
}
