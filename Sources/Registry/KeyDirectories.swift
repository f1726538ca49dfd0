import Foundation

/// The folders `file:` key references may point into.
///
/// Without a limit, anyone who may change a config (through the admin API, say) could point a key
/// reference at any file the worker can read, and learn from the error whether it exists. The
/// operator names the folders (`--key-dir`, repeatable, or `MAILROOM_KEY_DIRS`, colon-separated);
/// the default is the home folder, `/run/secrets` and `/etc/mailroom`. A path is judged by where
/// it really leads (`realpath`), so neither `..` nor a symlink gets out of the folders.
public struct KeyDirectories: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable listing the folders, colon-separated.
    public static let variable = "MAILROOM_KEY_DIRS"

    /// The folders as the operator gave them.
    public let folders: [String]

    public init(_ folders: [String]) {
        self.folders = folders
    }

    /// `flags` if any were given, else the folders in `MAILROOM_KEY_DIRS`, else the defaults.
    public static func configured(flags: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) -> KeyDirectories {
        if !flags.isEmpty { return KeyDirectories(flags) }
        let listed = (environment[variable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        if !listed.isEmpty { return KeyDirectories(listed) }
        return KeyDirectories(defaults(environment: environment))
    }

    /// The home folder (`HOME`, else the password database's), `/run/secrets` and `/etc/mailroom`.
    public static func defaults(environment: [String: String]) -> [String] {
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        }
        return (home.isEmpty ? [] : [home]) + ["/run/secrets", "/etc/mailroom"]
    }

    public var description: String { folders.joined(separator: ", ") }

    /// Where `path` really leads, or why it may not be used. A path that does not exist yet is
    /// judged by its folder, so a config may name a key file before the file is installed; an allowed
    /// folder that does not exist yet (`/run/secrets` on a host without it) is taken as written.
    public func check(_ path: String) -> Result<String, Refusal> {
        let real = Self.realPath(path)
        let allowed = folders.map(Self.realPath)
        let inside = allowed.contains { folder in folder == "/" || real == folder || real.hasPrefix(folder + "/") }
        guard inside else { return .failure(Refusal(path: path, real: real, folders: self)) }
        return .success(real)
    }

    /// A path outside the allowed folders.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var real: String
        public var folders: KeyDirectories

        public var description: String {
            let leads = real == path ? "" : " (it leads to \(Echo.reference(real)))"
            return "\(Echo.reference(path))\(leads) is outside the folders allowed for key files (\(folders)); "
                + "add its folder with --key-dir or \(KeyDirectories.variable)"
        }
    }

    /// `realpath` of `path`; for a path that does not exist, the real path of its nearest existing
    /// folder followed by the rest, with `.` and `..` taken literally.
    static func realPath(_ path: String) -> String {
        if let resolved = existingRealPath(path) { return resolved }
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard !parent.isEmpty, parent != path else { return (path as NSString).standardizingPath }
        let folder = realPath(parent)
        switch name {
        case ".": return folder
        case "..": return (folder as NSString).deletingLastPathComponent
        default: return folder == "/" ? "/" + name : folder + "/" + name
        }
    }

    /// `realpath(3)` of `path`, or nil when some part of it does not exist.
    static func existingRealPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
