import Foundation
import Testing

/// The one place tests check for leaked API keys. Every key a test creates comes from `TestKeys`,
/// which registers it here; every captured output goes through `expectClean`.
public enum SecretScanner {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var secrets: Set<String> = []

    /// Adds a secret that must never appear in any output.
    public static func register(_ secret: String) {
        lock.withLock { _ = secrets.insert(secret) }
    }

    /// Every registered secret found in `text`.
    public static func leaks(in text: String) -> [String] {
        lock.withLock { secrets.filter { text.contains($0) } }.sorted()
    }

    /// Records a test failure, naming where, for each registered secret found in `text`.
    public static func expectClean(_ text: String, context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in leaks(in: text) {
            Issue.record("API key \(secret.prefix(3))… leaked in output of \(context)", sourceLocation: sourceLocation)
        }
    }

    /// Scans every regular file under `folder` (spool, logs, sandbox store) for registered secrets.
    public static func expectCleanFiles(under folder: String, except excluded: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
        for case let relative as String in walker {
            let path = folder + "/" + relative
            if excluded.contains(path) { continue }
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            expectClean(String(decoding: data, as: UTF8.self), context: path, sourceLocation: sourceLocation)
        }
    }
}

/// API keys for tests: shaped like real SendGrid keys (`SG.` + 22 + `.` + 43 characters), random per
/// run (so none is ever committed), and registered with `SecretScanner` on creation.
public enum TestKeys {
    public static func make() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        func part(_ count: Int) -> String { String((0..<count).map { _ in alphabet.randomElement()! }) }
        let key = "SG.\(part(22)).\(part(43))"
        SecretScanner.register(key)
        return key
    }
}
