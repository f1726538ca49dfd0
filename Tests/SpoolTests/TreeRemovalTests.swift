import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

@testable import Spool

/// Removing a folder an application left in the spool never reaches outside it, even while the application
/// swaps a sub-folder for a symlink during the removal.
@Suite struct TreeRemovalTests {
    @Test func aSubFolderSwappedForASymlinkDuringRemovalNeverTakesAnOutsideFile() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let outside = fixture.home.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let precious = outside + "/precious.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: precious))

        for round in 0..<Soak.rounds {
            // failed/evil.json is a folder (an unsafe entry the worker set aside) with a sub-folder full of files.
            let evil = fixture.spool + "/failed/evil-\(round).json"
            let sub = evil + "/sub"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            for index in 0..<200 { FileManager.default.createFile(atPath: sub + "/f\(index)", contents: Data("x".utf8)) }
            let done = Mutex(false)
            let swapper = Thread {
                // Swap sub/ for a symlink to the outside folder, as fast as it can, until the removal is over.
                while !done.withLock({ $0 }) {
                    if rename(sub, evil + "/moved") == 0 { _ = symlink(outside, sub) }
                }
            }
            swapper.start()
            for _ in 0..<3 where access(evil, F_OK) == 0 { _ = try? spool.deleteJob("evil-\(round)") }
            done.withLock { $0 = true }
            while !swapper.isFinished { usleep(100) }
            #expect(FileManager.default.contents(atPath: precious) == Data("keep me".utf8), "round \(round): a file outside the spool was removed")
            #expect(access(outside, F_OK) == 0, "round \(round): the outside folder was removed")
            try? FileManager.default.removeItem(atPath: evil)
        }
    }

    @Test func aDeepFolderIsRemovedWholeAndASymlinkOnlyUnlinked() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let outside = fixture.home.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/kept", withIntermediateDirectories: true)
        let evil = fixture.spool + "/failed/deep.json"
        try FileManager.default.createDirectory(atPath: evil + "/a/b/c", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: evil + "/a/b/c/file", contents: Data("x".utf8))
        #expect(symlink(outside, evil + "/a/link") == 0)
        _ = try spool.deleteJob("deep")
        #expect(access(evil, F_OK) != 0, "the folder is still there")
        #expect(access(outside + "/kept", F_OK) == 0, "the symlink's target was removed")
    }
}

private enum Soak {
    static let rounds = ProcessInfo.processInfo.environment["MAILROOM_SOAK"] == "1" ? 200 : 20
}
