import Foundation
import Glibc

/// Reads a claimed entry only if it is what a job file must be (docs/spool.md#unsafe-entries, issue 3): a regular file, one link,
/// 1 byte to 20 MiB, valid UTF-8. The entry is `lstat`ed first, so symlinks, FIFOs, devices and folders are
/// never opened at all; a regular file is then opened with `O_NOFOLLOW | O_NONBLOCK` and checked again with
/// `fstat`, so nothing swapped in between is followed either.
enum SafeEntry {
    enum Inspection {
        /// A safe job file: its bytes and modification time.
        case file(Data, modified: Date)
        /// Not a job file; `reason` says why, for the reason file and the log. `field` is `job` when the entry is a
        /// regular file refused as a whole (empty, over 20 MiB, not UTF-8): the field docs/job-format.md#the-file and `enqueue` name.
        case unsafe(String, modified: Date?, field: String? = nil)
        /// The entry disappeared.
        case gone
    }

    static func inspect(_ folderFD: Int32, _ name: EntryName, maximumSize: Int) -> Inspection {
        var info = stat()
        let found = name.withCString { fstatat(folderFD, $0, &info, AT_SYMLINK_NOFOLLOW) }
        guard found == 0 else { return errno == ENOENT ? .gone : .unsafe("cannot stat: \(SystemCalls.message(errno))", modified: nil) }
        let modified = SystemCalls.modificationDate(info)
        if let problem = problem(with: info, maximumSize: maximumSize) {
            return .unsafe(problem, modified: modified, field: wholeFileField(info))
        }

        let fd = name.withCString { openat(folderFD, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            return code == ELOOP
                ? .unsafe("symbolic link", modified: modified) : .unsafe("cannot open: \(SystemCalls.message(code))", modified: modified)
        }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else { return .unsafe("cannot stat: \(SystemCalls.message(errno))", modified: modified) }
        guard opened.st_ino == info.st_ino && opened.st_dev == info.st_dev else { return .unsafe("replaced while being opened", modified: modified) }
        if let problem = problem(with: opened, maximumSize: maximumSize) {
            return .unsafe(problem, modified: modified, field: wholeFileField(opened))
        }
        guard let data = SystemCalls.readExactly(fd, count: Int(opened.st_size)) else {
            return .unsafe("changed or unreadable while being read", modified: modified)
        }
        guard isValidUTF8(data) else { return .unsafe("not valid UTF-8", modified: modified, field: "job") }
        return .file(data, modified: SystemCalls.modificationDate(opened))
    }

    /// Why an entry with this `stat` is not a job file, or nil if it may be one.
    static func problem(with info: stat, maximumSize: Int) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return "symbolic link"
        case S_IFDIR: return "folder"
        case S_IFIFO: return "FIFO (named pipe)"
        case S_IFSOCK: return "socket"
        case S_IFCHR, S_IFBLK: return "device file"
        default: return "not a regular file"
        }
        if info.st_nlink != 1 { return "has \(info.st_nlink) hard links; a job file must have exactly one" }
        if info.st_size == 0 { return "empty file" }
        if info.st_size > maximumSize { return "file is \(info.st_size) bytes; at most \(maximumSize) (20 MiB)" }
        return nil
    }

    /// `job` for a regular file with one link (so refused for its size), nil for entries that are not job files at all.
    static func wholeFileField(_ info: stat) -> String? {
        info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1 ? "job" : nil
    }

    /// Whether `data` is well-formed UTF-8 (ASCII checked eight bytes at a time first).
    static func isValidUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            if let base = raw.baseAddress {
                while index + 8 <= bytes.count {
                    if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
            }
            while index < bytes.count && bytes[index] < 0x80 { index += 1 }
            if index == bytes.count { return true }
            return String(validating: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self) != nil
        }
    }
}
