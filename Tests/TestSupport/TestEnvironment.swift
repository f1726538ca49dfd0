import Foundation

/// The environment every child process a test starts gets, under the test runner's own and the test's.
public enum TestEnvironment {
    /// Tests keep `file:` key references in temporary folders, which are outside the folders Mailroom
    /// allows by default (home, /run/secrets, /etc/mailroom); they allow the temporary folder, as an
    /// operator would allow the folder holding their keys. A test about the default sets the variable
    /// to "" (then the defaults apply) or passes `--key-dir`.
    public static let defaults: [String: String] = ["MAILROOM_KEY_DIRS": FileManager.default.temporaryDirectory.path]

    /// `defaults`, then the runner's environment, then `extra`, later ones winning.
    public static func merged(_ extra: [String: String]) -> [String: String] {
        defaults.merging(ProcessInfo.processInfo.environment) { _, new in new }.merging(extra) { _, new in new }
    }
}
