import Foundation
import Testing

/// The one place tests check for leaked API keys. Every key a test creates comes from `TestKeys`,
/// which registers it here; every captured output goes through `expectClean`.
///
/// A key is found not only whole: each of its dot-separated segments, and every 24-character window
/// of the key, counts as the key. A key cut short (a log line truncated at 64 bytes), split (the two
/// segments in different fields) or wrapped is still caught.
public enum SecretScanner {
    /// Length of the windows searched for: long enough never to occur by chance, short enough that
    /// a key cut anywhere still shows one.
    public static let windowLength = 24

    private static let lock = NSLock()
    nonisolated(unsafe) private static var secrets: Set<String> = []
    /// Every fragment of every registered secret, keyed by its first `segmentLength` bytes (the
    /// shortest fragment), each with the secret it belongs to.
    nonisolated(unsafe) private static var fragments: [ArraySlice<UInt8>: [(fragment: [UInt8], secret: String)]] = [:]
    private static let segmentLength = 22

    /// Adds a secret that must never appear in any output.
    public static func register(_ secret: String) {
        lock.withLock {
            guard secrets.insert(secret).inserted else { return }
            for fragment in Self.fragments(of: secret) where fragment.count >= segmentLength {
                fragments[ArraySlice(fragment.prefix(segmentLength)), default: []].append((fragment, secret))
            }
        }
    }

    /// The parts of `secret` that betray it: the whole, each dot-separated segment of 22 or more
    /// characters (`SG.` alone is not secret), and every `windowLength`-character window.
    static func fragments(of secret: String) -> [[UInt8]] {
        let bytes = Array(secret.utf8)
        var parts: [[UInt8]] = [bytes]
        parts += secret.split(separator: ".").map { Array($0.utf8) }.filter { $0.count >= segmentLength }
        if bytes.count > windowLength {
            parts += (0...(bytes.count - windowLength)).map { Array(bytes[$0..<($0 + windowLength)]) }
        }
        return parts
    }

    /// Every registered secret of which `text` holds a fragment (whole, a segment or a window).
    public static func leaks(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return lock.withLock {
            // A secret too short to index (none made by `TestKeys`) is searched for whole.
            var found = Set(secrets.filter { $0.utf8.count < segmentLength && text.contains($0) })
            guard bytes.count >= segmentLength else { return found.sorted() }
            for start in 0...(bytes.count - segmentLength) {
                guard let candidates = fragments[bytes[start..<(start + segmentLength)]] else { continue }
                for (fragment, secret) in candidates where !found.contains(secret) {
                    let end = start + fragment.count
                    if end <= bytes.count, bytes[start..<end].elementsEqual(fragment) { found.insert(secret) }
                }
            }
            return found.sorted()
        }
    }

    /// Records a test failure, naming where, for each registered secret found in `text`.
    public static func expectClean(_ text: String, context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in leaks(in: text) {
            Issue.record("API key \(secret.prefix(3))… (or part of it) leaked in output of \(context)", sourceLocation: sourceLocation)
        }
    }

    /// Scans every regular file under `folder` (spool, logs, sandbox store) for registered secrets, and
    /// returns how many bytes it read. Reading none is a failure: a scan of a folder that is missing or
    /// empty (a wrong path, say) proves nothing, and must not pass as if it did.
    @discardableResult
    public static func expectCleanFiles(
        under folder: String, except excluded: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation
    ) -> Int {
        var scanned = 0
        if let walker = FileManager.default.enumerator(atPath: folder) {
            for case let relative as String in walker {
                let path = folder + "/" + relative
                if excluded.contains(path) { continue }
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                scanned += data.count
                expectClean(String(decoding: data, as: UTF8.self), context: path, sourceLocation: sourceLocation)
            }
        }
        if scanned == 0 {
            Issue.record("the secrets scan of \(folder) read no bytes: a scan of nothing proves nothing", sourceLocation: sourceLocation)
        }
        return scanned
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
