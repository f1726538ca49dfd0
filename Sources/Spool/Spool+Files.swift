import Foundation
import Glibc
import MailroomCore

/// The small file operations every state move is built from.
extension Spool {
    /// Writes a small record atomically: a hidden temporary file, fsync, then rename over `name`.
    /// The caller fsyncs `folder` (possibly together with other changes) to make the name durable.
    /// `modified` sets the record's modification time (a deferred job's due time lives there), through the
    /// descriptor of a file the worker itself created: never a file an application wrote.
    func writeRecord(_ data: Data, in folder: Folder, as name: String, modified: Date? = nil) throws(SpoolError) {
        let temporary = ".\(name).\(JobID.generate()).tmp"
        let fd = openat(folder.fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpoolError.io("create", folder.path + "/" + temporary, errno) }
        var code = SystemCalls.writeAll(fd, data)
        if code == 0, let modified { code = SystemCalls.setModificationTime(fd, modified) }
        if code == 0 && fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && renameat(folder.fd, temporary, folder.fd, name) != 0 { code = errno }
        if code != 0 {
            unlinkat(folder.fd, temporary, 0)
            throw SpoolError.io("write", folder.path + "/" + name, code)
        }
    }

    /// Reads a small file (at most 1 MiB) without following a symlink; nil if missing or unreadable.
    func readSmallFile(_ folder: Folder, _ name: String) -> Data? {
        let fd = openat(folder.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 1 << 20 else { return nil }
        return SystemCalls.readExactly(fd, count: Int(info.st_size))
    }

    func loadMeta(_ id: String) -> JobMeta? {
        if metaIsKnownEmpty() { return nil }
        return readSmallFile(meta, id + ".json").flatMap { RecordCoding.decode(JobMeta.self, $0) }
    }

    func saveMeta(_ record: JobMeta, _ id: String, modified: Date? = nil) throws(SpoolError) {
        try writeRecord(RecordCoding.encode(record), in: meta, as: id + ".json", modified: modified)
    }

    /// When the deferred entry `name` is due: the modification time of its `meta/` record, which `deferJob` sets
    /// (one `stat`, so a scan of `deferred/` reads no file). A job deferred by an older Mailroom, which kept the
    /// due time on the job file itself, has no such record dated for it and uses the job file's time.
    func dueDate(ofDeferred name: EntryName, _ info: stat) -> Date {
        if let id = name.jobID, !metaIsKnownEmpty(), let record = status(meta, id + ".json") {
            return SystemCalls.modificationDate(record)
        }
        return SystemCalls.modificationDate(info)
    }

    func removeMeta(_ id: String) {
        if metaIsKnownEmpty() { return }
        unlinkat(meta.fd, id + ".json", 0)
    }

    /// Whether `meta/` is known to be empty, by one `fstat`: most jobs never get a meta record, and this spares
    /// each claim a failed open and each send a failed unlink. The folder is listed again only after it changed.
    func metaIsKnownEmpty() -> Bool {
        guard let time = FolderTime(meta) else { return false }
        return metaListing.withLock { known in
            if let known, known.time == time { return known.isEmpty }
            guard time.isSettled else {
                known = nil
                return false
            }
            guard let stream = DirectoryStream(meta) else { return false }
            let isEmpty = stream.next() == nil
            known = (time, isEmpty)
            return isEmpty
        }
    }

    /// `lstat` of `name` in `folder`, or nil if it does not exist.
    func status(_ folder: Folder, _ name: String) -> stat? {
        var info = stat()
        return fstatat(folder.fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// Moves an entry between folders without replacing anything; returns 0 or the errno.
    func move(_ source: Folder, _ name: EntryName, to destination: Folder, as target: EntryName) -> Int32 {
        name.withCString { from in target.withCString { to in SystemCalls.renameNoReplace(source.fd, from, destination.fd, to) } }
    }

    /// Moves an entry into `new/` under `target`. A second copy already there is the later one: it is
    /// dropped (and reported as a duplicate) so this copy, with its history, is the one that stays.
    func moveToReady(_ source: Folder, _ name: EntryName, as target: EntryName, id: String) throws(SpoolError) {
        var code = move(source, name, to: new, as: target)
        if code == EEXIST {
            if target.withCString({ unlinkat(new.fd, $0, 0) }) == 0 {
                emit(id, .duplicate, "a second copy in new/ was dropped; the earlier one is kept")
            }
            code = move(source, name, to: new, as: target)
        }
        guard code == 0 else { throw SpoolError.io("move to ready", source.path + "/" + name.description, code) }
    }

    /// Removes an entry of any kind (a folder with what is in it), never following a symlink: see `TreeRemoval`.
    func removeEntry(_ folder: Folder, _ name: EntryName) -> Int32 {
        name.withCString { TreeRemoval.remove($0, in: folder.fd) }
    }

    /// The sub-folders of `paused/`, one per integration with held jobs.
    func pausedFolders() -> [(integration: Int, folder: Folder)] {
        subfolders(of: paused).compactMap { name, folder in Int(name).map { ($0, folder) } }
    }

    /// Every worker's claim folder, this process's too.
    func claimFolders() -> [(worker: String, folder: Folder)] {
        subfolders(of: active).map { (worker: $0.name, folder: $0.folder) }
    }

    private func subfolders(of parent: Folder) -> [(name: String, folder: Folder)] {
        guard let stream = DirectoryStream(parent) else { return [] }
        var found: [(name: String, folder: Folder)] = []
        while let (name, _) = stream.next() {
            guard !name.isHidden, let child = try? parent.child(name.description, create: false) else { continue }
            found.append((name.description, child))
        }
        return found
    }
}
