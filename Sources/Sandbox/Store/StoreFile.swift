import Foundation
import MailroomCore

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

    /// Writes `text` to `<folder>/<id>.json` through a unique temporary file (created 0600 whatever the
    /// umask), then renames it, with MailroomCore's write loop. No fsync, unlike `AtomicFile.write`: the
    /// store is a test aid on Mail Send's hot path, and a record lost in a power cut costs nothing a
    /// rehearsal needs.
    static func save(_ text: String, id: String, folder: String) throws(SandboxFailure) {
        let final = folder + "/" + id + ".json"
        let temporary = folder + "/" + AtomicFile.temporaryName(for: id + ".json")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SandboxFailure.store(folder, "cannot create \(temporary)") }
        do throws(FileFailure) {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else { throw FileFailure("set the mode of", temporary) }
            try AtomicFile.writeAll(Data(text.utf8), to: descriptor, path: temporary)
        } catch {
            unlink(temporary)
            throw SandboxFailure.store(folder, "cannot write \(temporary)")
        }
        guard rename(temporary, final) == 0 else {
            unlink(temporary)
            throw SandboxFailure.store(folder, "cannot write \(final)")
        }
    }

    static func remove(id: String, folder: String) {
        unlink(folder + "/" + id + ".json")
    }
}
