import ArgumentParser
import Foundation
import Registry

/// `--key-dir DIR` (repeatable): the folders `file:` key references may point into. Taken by the
/// commands that write configs (`integrations add/update`, `serve`) and by `run`, which resolves them.
struct KeyDirectoryOptions: ParsableArguments {
    @Option(
        name: .customLong("key-dir"),
        help: ArgumentHelp(
            "A folder file: key references may point into; repeat for more (env MAILROOM_KEY_DIRS, colon-separated).",
            discussion: "Default: the home folder, /run/secrets and /etc/mailroom.", valueName: "dir"))
    var keyDirs: [String] = []

    func validate() throws {
        for folder in keyDirs where !folder.hasPrefix("/") || folder.contains(":") {
            throw ValidationError("--key-dir \"\(folder)\" must be an absolute path without a colon")
        }
    }

    /// The folders in force: the flags, else `MAILROOM_KEY_DIRS`, else the defaults.
    var directories: KeyDirectories { .configured(flags: keyDirs) }

    /// The process environment with `MAILROOM_KEY_DIRS` set to the flags (when given), for the
    /// worker, which resolves references with the environment it is handed.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if !keyDirs.isEmpty { environment[KeyDirectories.variable] = keyDirs.joined(separator: ":") }
        return environment
    }
}
