import Glibc

/// A folder's entries, one at a time, through `readdir(3)`: a million-entry folder is never loaded whole.
/// `.` and `..` are skipped; everything else (hidden names too) is returned for the caller to judge.
final class DirectoryStream {
    private var directory: OpaquePointer?
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19

    /// Opens a stream over `folder`; nil when the folder cannot be read.
    init?(_ folder: Folder) {
        let fd = openat(folder.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let directory = fdopendir(fd) else {
            close(fd)
            return nil
        }
        self.directory = directory
    }

    deinit {
        if let directory { closedir(directory) }
    }

    /// The next entry's name and `d_type`, or nil at the end.
    func next() -> (name: EntryName, type: UInt8)? {
        guard let directory else { return nil }
        while let entry = readdir(directory) {
            let pointer = UnsafeRawPointer(entry).advanced(by: Self.nameOffset).assumingMemoryBound(to: CChar.self)
            if pointer[0] == 0x2E && (pointer[1] == 0 || (pointer[1] == 0x2E && pointer[2] == 0)) { continue }
            return (EntryName(cString: pointer), entry.pointee.d_type)
        }
        return nil
    }

    /// Starts again from the first entry.
    func rewind() {
        if let directory { rewinddir(directory) }
    }
}
