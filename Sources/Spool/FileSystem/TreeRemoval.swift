import Glibc

/// Removes an entry of any kind, a folder with everything in it included, through descriptors only.
///
/// A folder in the spool was made by an application, which may still be changing it: a path walk
/// (`rm -r`, `FileManager.removeItem`) that meets a sub-folder swapped for a symlink between its check and
/// its descent follows the link and deletes outside the spool. Here every folder is entered with
/// `openat(O_NOFOLLOW | O_DIRECTORY)` relative to its parent's descriptor, and every name is removed with
/// `unlinkat` in the folder that was opened: a symlink is only ever unlinked, never followed.
enum TreeRemoval {
    /// How deep a tree is followed before giving up (ELOOP): a bound on open descriptors and the stack.
    static let maximumDepth = 64

    /// Removes `name` in the folder `parentFD`; returns 0 or the errno (ENOENT when it is gone already).
    static func remove(_ name: UnsafePointer<CChar>, in parentFD: Int32, depth: Int = 0) -> Int32 {
        if unlinkat(parentFD, name, 0) == 0 { return 0 }
        let code = errno
        // Linux answers EISDIR for a folder; POSIX allows EPERM for it too.
        guard code == EISDIR || code == EPERM else { return code }
        guard depth < maximumDepth else { return ELOOP }
        let fd = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            // Swapped for a symlink or a file since the unlink: remove it as what it is now, without following it.
            let swapped = errno
            guard swapped == ENOTDIR || swapped == ELOOP else { return swapped }
            return unlinkat(parentFD, name, 0) == 0 ? 0 : errno
        }
        let folder = Folder.adopt(fd: fd, path: "")
        guard let stream = DirectoryStream(folder) else { return errno }
        while let (child, _) = stream.next() {
            let removed = child.withCString { remove($0, in: folder.fd, depth: depth + 1) }
            if removed != 0 && removed != ENOENT { return removed }
        }
        return unlinkat(parentFD, name, AT_REMOVEDIR) == 0 ? 0 : errno
    }
}
