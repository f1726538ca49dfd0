import Foundation
import TestSupport
import Testing

/// The docs stay true to the binary: every `mailroom …` command they show exists with the flags they show, the
/// delivery-log reference lists exactly the events the binary knows, and the guide covers every exit code.
@Suite struct DocsTests {
    static let documents = ["docs/operators-guide.md", "docs/job-format.md", "docs/delivery-log.md", "docs/sandbox.md", "README.md"]

    /// `mailroom …` command lines in the documents: lines of code blocks and inline code spans.
    static func commandLines() throws -> [(document: String, line: String)] {
        var found: [(String, String)] = []
        for document in documents {
            var inBlock = false
            for rawLine in try Repository.text(document).split(separator: "\n", omittingEmptySubsequences: false) {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("```") {
                    inBlock.toggle()
                    continue
                }
                if inBlock {
                    for segment in line.split(separator: "|") {
                        let text = segment.trimmingCharacters(in: .whitespaces)
                        if let start = text.range(of: "mailroom ", options: .anchored) ?? text.range(of: "xargs -r mailroom ") {
                            found.append((document, "mailroom " + text[start.upperBound...]))
                        }
                    }
                } else {
                    for match in line.matches(of: /`(mailroom [^`]+)`/) { found.append((document, String(match.1))) }
                }
            }
        }
        return found
    }

    /// Flags swift-argument-parser adds to every command without listing them in `--help`.
    static let builtInFlags: Set<String> = ["--generate-completion-script", "--help", "--help-hidden"]

    /// The words of a command line up to a comment, without quotes.
    static func words(_ line: String) -> [String] {
        let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line
        return code.split(separator: " ").map(String.init)
    }

    @Test func everyCommandAndFlagTheDocsShowExists() throws {
        var helps: [[String]: String] = [:]
        func help(_ path: [String]) throws -> String? {
            if let cached = helps[path] { return cached }
            let result = try MailroomBinary.run(path + ["--help"])
            let text = result.status == 0 ? result.stdout : nil
            helps[path] = text ?? ""
            return text
        }
        let lines = try Self.commandLines()
        #expect(lines.count > 40)
        for (document, line) in lines {
            let words = Self.words(line).dropFirst()
            // `mailroom COMMAND --help`: a placeholder, not a command.
            if let first = words.first, first.allSatisfy({ $0.isUppercase }) { continue }
            // The subcommand path: leading plain words (`integrations update`), as long as the binary knows it.
            var path = Array(words.prefix { $0.allSatisfy { $0.isLowercase } }.prefix(2))
            while !path.isEmpty, try help(path) == nil { path.removeLast() }
            guard let text = try help(path), !path.isEmpty || words.first?.hasPrefix("-") == true else {
                Issue.record("\(document): `\(line)` names no mailroom command")
                continue
            }
            for flag in words where flag.hasPrefix("--") && !Self.builtInFlags.contains(flag) {
                let name = String(flag.prefix { $0 != "=" })
                #expect(text.contains(name), "\(document): `\(line)`: mailroom \(path.joined(separator: " ")) has no \(name)")
            }
        }
    }

    @Test func theDeliveryLogReferenceListsExactlyTheEventsTheBinaryKnows() throws {
        let help = try MailroomBinary.run(["log", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        let listed = try #require(help.firstMatch(of: /Only this event: ([a-z, ]+)\./)?.1)
        let events = Set(listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(events.count == 7)
        let reference = try Repository.text("docs/delivery-log.md")
        let section = try #require(reference.range(of: "## Events")).upperBound
        let rows = reference[section...].split(separator: "\n").prefix { !$0.hasPrefix("## ") && !$0.hasPrefix("`mailroom hold`") }
        let documented = Set(rows.compactMap { $0.firstMatch(of: /^\| `([a-z]+)` \|/).map { String($0.1) } })
        #expect(documented == events)
        for line in reference.split(separator: "\n") where line.hasPrefix("{\"") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(events.contains(object["event"] as? String ?? ""), "\(line)")
            for key in object.keys { #expect(reference.contains("| `\(key)` |"), "the example's field \(key) is not in the fields table") }
        }
    }

    @Test func theGuideExplainsEveryExitCode() throws {
        let guide = try Repository.text("docs/operators-guide.md")
        for code in [0, 64, 65, 66, 69, 73, 74, 75, 78] {
            #expect(guide.contains("\n| \(code) | "), "docs/operators-guide.md has no row for exit \(code)")
        }
    }
}
