import Foundation

/// The environment every child process a test starts gets, under the test runner's own and the test's.
public enum TestEnvironment {
    /// Tests keep `file:` key references in temporary folders, which are outside the folders Mailroom
    /// allows by default (home, /run/secrets, /etc/mailroom); they allow the temporary folder besides
    /// those, as an operator would allow the folder holding their keys. A test about the default sets
    /// the variable to "" (then the defaults alone apply) or passes `--key-dir`.
    public static let defaults: [String: String] = {
        let home = ProcessInfo.processInfo.environment["HOME"].map { [$0] } ?? []
        let folders = [FileManager.default.temporaryDirectory.path] + home + ["/run/secrets", "/etc/mailroom"]
        return ["MAILROOM_KEY_DIRS": folders.joined(separator: ":")]
    }()

    /// `defaults`, then the runner's environment, then `extra`, later ones winning.
    public static func merged(_ extra: [String: String]) -> [String: String] {
        defaults.merging(ProcessInfo.processInfo.environment) { _, new in new }.merging(extra) { _, new in new }
    }
}
