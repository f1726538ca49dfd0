import Foundation

extension RegistryStore {
    /// Warnings about the registry file to show a person, such as a registry that group or others
    /// can read (it may hold keys). Empty when all is well or the file does not exist yet.
    public func warnings() -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        let mode = info.st_mode & 0o777
        guard mode & 0o044 != 0 else { return [] }
        return ["registry \(path) is readable by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"]
    }
}
