import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `--store` folder's files: `<id>.json`, created 0600 in a 0700 folder, because captured
/// mail (addresses, reset links, attachments) must not be readable by other users of a shared host.
enum StoreFile {
    /// `<22-character id>.json`: the only files the store reads or deletes in its folder.
    static func isRecordFileName(_ name: String) -> Bool {
        name.utf8.count == 27 && name.hasSuffix(".json")
    }

    /// Creates the folder (0700) when missing.
    static func prepare(folder: String) throws(SandboxFailure) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw SandboxFailure.store(folder, "not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SandboxFailure.store(folder, "cannot create the folder")
        }
    }

    /// Writes `text` to `<folder>/<id>.json` through a temporary file, created 0600, then renamed.
    static func save(_ text: String, id: String, folder: String) throws(SandboxFailure) {
        let final = folder + "/" + id + ".json"
        let temporary = final + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SandboxFailure.store(folder, "cannot write \(temporary)") }
        var bytes = Array(text.utf8)
        var written = 0
        let complete = bytes.withUnsafeMutableBytes { raw -> Bool in
            while written < raw.count {
                let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { return false }
                written += result
            }
            return true
        }
        close(descriptor)
        guard complete, rename(temporary, final) == 0 else {
            unlink(temporary)
            throw SandboxFailure.store(folder, "cannot write \(final)")
        }
    }

    static func remove(id: String, folder: String) {
        unlink(folder + "/" + id + ".json")
    }
}
