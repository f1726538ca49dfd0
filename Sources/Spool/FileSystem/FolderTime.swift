import Foundation
import Glibc

/// When a folder last changed (its mtime), for knowledge about its entries that stays true until it changes again.
///
/// Folder times tick coarsely (a few milliseconds), so a change in the same tick as a listing could leave the
/// time as it was: only a time over a second old (`isSettled`) may vouch for a listing.
struct FolderTime: Equatable, Sendable {
    private let seconds: Int
    private let nanoseconds: Int

    init?(_ folder: Folder) {
        var info = stat()
        guard fstat(folder.fd, &info) == 0 else { return nil }
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }

    var isSettled: Bool {
        Date().timeIntervalSince1970 - Double(seconds) > 1
    }
}
