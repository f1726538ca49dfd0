import Foundation
import Glibc
import TestSupport
import Testing

/// Entries in new/ that are not job files are never followed or sent: what can be moved goes to failed/
/// with a reason (issue 3, acceptance 4).
@Suite struct UnsafeEntryTests {
    @Test func everyUnsafeEntryEndsInFailedWithItsReasonAndNothingIsFollowed() throws {
        let spool = SpoolFixture()
        try spool.publish("good", validJob("good"))
        let new = spool.spool + "/new/"
        let outside = spool.home.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)

        // A symlink to a file whose content must never show up in the spool.
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        try Data("{\"to\": \"a@example.com\", \"subject\": \"\(secret)\", \"text\": \"x\"}".utf8).write(
            to: URL(fileURLWithPath: outside + "/secret.json"))
        #expect(symlink(outside + "/secret.json", new + "link.json") == 0)
        // A symlink to a FIFO: opening its target for reading would release the writer blocked below.
        #expect(mkfifo(outside + "/watched.fifo", 0o600) == 0)
        #expect(symlink(outside + "/watched.fifo", new + "fifo-link.json") == 0)
        let watcher = FIFOOpenWatcher(path: outside + "/watched.fifo")
        // A FIFO, a folder, a hard link, bad names, an empty file, bad UTF-8, and a sparse file over 20 MiB.
        #expect(mkfifo(new + "pipe.json", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: new + "folder.json", withIntermediateDirectories: false)
        try Data(validJob("linked").utf8).write(to: URL(fileURLWithPath: outside + "/linked.json"))
        #expect(link(outside + "/linked.json", new + "hard.json") == 0)
        try Data(validJob("named").utf8).write(to: URL(fileURLWithPath: new + "notes.txt"))
        try Data(validJob("spaced").utf8).write(to: URL(fileURLWithPath: new + "has space.json"))
        try Data().write(to: URL(fileURLWithPath: new + "empty.json"))
        try Data([0x7B, 0x22, 0x74, 0x6F, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D]).write(to: URL(fileURLWithPath: new + "latin1.json"))
        let huge = open(new + "huge.json", O_WRONLY | O_CREAT, 0o600)
        #expect(ftruncate(huge, 20 * 1024 * 1024 + 1) == 0)
        close(huge)
        // Hidden files (an app's tools' work files) are left alone.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: new + ".partial.json"))

        let result = try spool.mailroom(["debug-spool", "claim", "--then", "sent"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!watcher.readerOpened, "the FIFO behind fifo-link.json was opened: the symlink was followed")
        watcher.release()
        #expect(result.stdout.contains("job good"))
        #expect(spool.names("sent") == ["good.json"])

        let expected: [(entry: String, kind: String, reason: String)] = [
            ("link.json", "link", "symbolic link"), ("fifo-link.json", "link", "symbolic link"), ("pipe.json", "fifo", "FIFO"),
            ("folder.json", "dir", "folder"), ("hard.json", "file", "hard links"), ("empty.json", "file", "empty"),
            ("latin1.json", "file", "UTF-8"), ("huge.json", "file", "20 MiB"),
        ]
        for item in expected {
            #expect(result.stdout.contains("unsafe \(item.entry.dropLast(5)): "), "\(item.entry) not reported: \(result.stdout)")
            #expect(spool.kind("failed/" + item.entry) == item.kind, "failed/\(item.entry) should be the entry itself (\(item.kind))")
            let reason = jsonObject(String(decoding: spool.data("failed/" + item.entry.dropLast(5) + ".reason.json") ?? Data(), as: UTF8.self))
            #expect((reason["reason"] as? String)?.contains(item.reason) == true, "\(item.entry): \(reason)")
            #expect(reason["time"] is String && reason["attempts"] as? Int == 0)
        }
        // The links still point where they did, and the secret is in no regular file of the spool.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: spool.spool + "/failed/link.json")) == outside + "/secret.json")
        for file in Self.regularFiles(under: spool.spool) {
            let content = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
            #expect(!content.contains(secret), "\(file) holds the symlink target's content")
        }
        // Badly named entries are kept under a valid name, their original name in the reason.
        let renamed = spool.names("failed").filter { $0.hasPrefix("unsafe-") && !$0.hasSuffix(".reason.json") }
        #expect(renamed.count == 2)
        let originals = renamed.compactMap { name in
            jsonObject(String(decoding: spool.data("failed/" + name.dropLast(5) + ".reason.json") ?? Data(), as: UTF8.self))["original_name"]
                as? String
        }
        #expect(Set(originals) == ["notes.txt", "has space.json"])
        for name in renamed { #expect(spool.data("failed/" + name) != nil) }
        // Nothing was left behind or sent twice; the hidden file was not touched.
        #expect(spool.everything("new") == [".partial.json"])
        #expect(spool.activeNames().isEmpty)
        // list shows them as failed, flagged unsafe, and never reads through a link.
        let listed = jsonLines(try spool.mailroom(["list", "--state", "failed", "--json"]).stdout)
        #expect(listed.count == expected.count + 2)
        #expect(listed.allSatisfy { $0["unsafe"] as? Bool == true && $0["state"] as? String == "failed" })
        #expect(listed.first { $0["id"] as? String == "link" }?["recipients"] is NSNull)
    }

    private static func regularFiles(under root: String) -> [String] {
        var files: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        for case let relative as String in walker {
            var info = stat()
            if lstat(root + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files.append(root + "/" + relative) }
        }
        return files
    }
}

/// Blocks a thread in `open(path, O_WRONLY)`, which returns only once some process opens the FIFO for reading.
final class FIFOOpenWatcher: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var opened = false
    private let done = DispatchSemaphore(value: 0)

    init(path: String) {
        self.path = path
        let thread = Thread { [self] in
            let fd = open(path, O_WRONLY)
            lock.withLock { opened = true }
            if fd >= 0 { close(fd) }
            done.signal()
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.05)
    }

    /// Whether a reader opened the FIFO so far (our own `release` excluded).
    var readerOpened: Bool { lock.withLock { opened } }

    /// Opens the read end ourselves so the blocked writer thread can finish.
    func release() {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        done.wait()
        if fd >= 0 { close(fd) }
    }
}
