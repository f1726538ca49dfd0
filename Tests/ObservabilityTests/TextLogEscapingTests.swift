import Logging
import Testing

@testable import Observability

/// The text log is one line per event whatever the values hold: entry names are chosen by applications,
/// and a newline or an ANSI escape in one must not forge a log line or drive the operator's terminal.
@Suite struct TextLogEscapingTests {
    @Test func aNameWithANewlineOrAnEscapeStaysOnOneEscapedLine() {
        let name = "evil\n2026-01-01T00:00:00.000Z info job sent job=forged\u{1B}[2J\r\u{85}\u{2028}.json"
        let line = TextLogHandler.line(
            timestamp: "2026-11-29T10:00:00.000Z", level: .warning, message: "cannot move \(name)", metadata: ["entry": "\(name)"])
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"), "\(line)")
        #expect(!line.unicodeScalars.dropLast().contains { $0.properties.generalCategory == .control })
        let escaped = #"evil\n2026-01-01T00:00:00.000Z info job sent job=forged\x1b[2J\r\x85\u{2028}.json"#
        #expect(line == "2026-11-29T10:00:00.000Z warning cannot move \(escaped) entry=\(escaped)\n")
    }

    @Test func backslashesAreEscapedSoEveryEscapeIsUnambiguous() {
        #expect(LogText.escaped(#"a\nb"#) == #"a\\nb"#)
        #expect(LogText.escaped("a\nb") == #"a\nb"#)
        #expect(LogText.escaped("plain text, unchanged: été ✓") == "plain text, unchanged: été ✓")
        #expect(LogText.escaped("\u{0}\u{7F}\t") == #"\x00\x7f\t"#)
    }
}
