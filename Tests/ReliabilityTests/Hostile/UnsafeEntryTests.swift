import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

/// Entries in `new/` that are not job files, dropped under a running worker: never followed, never sent,
/// never blocking; the worker moves them to `failed/` and keeps delivering.
@Suite struct UnsafeEntryTests {
    @Test func unsafeEntriesAreNeverFollowedAndTheWorkerKeepsDelivering() throws {
        let rig = try Rig(keepStore: true)
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let worker = try rig.start(["--concurrency", "4"])
        #expect(worker.waitForOutput { $0.contains("worker started") })
        let new = rig.spool + "/new/"

        // A secret file outside the home (so that only a leak would bring it into what the scan reads).
        let outside = TemporaryHome()
        let secret = TestKeys.make()
        let secretJob = #"{"to": "ana@example.com", "subject": "\#(secret)", "text": "\#(secret)"}"#
        try Data(secretJob.utf8).write(to: URL(fileURLWithPath: outside.path + "/secret.json"))
        // A hard link is moved to failed/ as it is (it is the same file as its target), so its target holds a plain
        // job: what matters is that it is never sent.
        let linkedJob = try GoodJobs.all[2]
        try linkedJob.write(to: URL(fileURLWithPath: outside.path + "/linked.json"))

        var expectations: [(entry: String, reason: String)] = []
        #expect(symlink(outside.path + "/secret.json", new + "link.json") == 0)
        expectations.append(("link.json", "symbolic link"))
        #expect(symlink(outside.path, new + "folder-link.json") == 0)
        expectations.append(("folder-link.json", "symbolic link"))
        #expect(mkfifo(new + "pipe.json", 0o600) == 0)
        expectations.append(("pipe.json", "FIFO"))
        // Made in tmp/ and renamed in, so the running worker never sees it half-built.
        try FileManager.default.createDirectory(atPath: rig.spool + "/tmp/folder.json/inner", withIntermediateDirectories: true)
        #expect(rename(rig.spool + "/tmp/folder.json", new + "folder.json") == 0)
        expectations.append(("folder.json", "folder"))
        #expect(link(outside.path + "/linked.json", new + "hard.json") == 0)
        expectations.append(("hard.json", "hard link"))
        if mknod(new + "null.json", S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0 {
            expectations.append(("null.json", "device"))
        } else {
            // Creating device nodes needs CAP_MKNOD; the other entries still run.
            print("UnsafeEntryTests: mknod is not permitted here (errno \(errno)); skipping the device-node entry")
        }
        // A job published after all of them must still go out: nothing above may block the worker.
        try rig.publish(try GoodJobs.all[0], name: "after-the-fifo.json")

        let settled = eventually(timeout: .seconds(20)) {
            rig.jobFiles(in: "sent") == ["after-the-fifo.json"] && expectations.allSatisfy { rig.reason(String($0.entry.dropLast(5))) != nil }
        }
        #expect(settled, "new/ still holds \(rig.names(in: "new")); failed/ \(rig.names(in: "failed"))")
        #expect(worker.isRunning)
        for item in expectations {
            let reason = rig.reason(String(item.entry.dropLast(5))) ?? [:]
            #expect((reason["reason"] as? String)?.contains(item.reason) == true, "\(item.entry): \(reason)")
            #expect(reason["unsafe"] as? Bool == true, "\(item.entry) is not flagged unsafe")
            var info = stat()
            #expect(lstat(rig.spool + "/failed/" + item.entry, &info) == 0, "\(item.entry) is not kept in failed/")
        }
        // The link was moved, not followed: it still points at the secret, whose content went nowhere.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: rig.spool + "/failed/link.json")) == outside.path + "/secret.json")
        #expect(try rig.acceptedJobIDs() == ["after-the-fifo"], "something other than the good job was sent")
        #expect(FileManager.default.contents(atPath: outside.path + "/linked.json") == linkedJob, "the hard link's target changed")
        worker.signal(SIGTERM)
        #expect(worker.wait(timeout: .seconds(20)) == 0)
        HostileFigures.add(unsafe: expectations.count)
    }

    @Test func hostileNamesCannotForgeLogLinesOrBreakListings() throws {
        let rig = try Rig()
        defer { rig.finish() }
        try rig.addConfig(key: TestKeys.make())
        let job = try GoodJobs.all[1]
        // Names Windows reserves are ordinary names here: delivered like any job, nothing special opened.
        let deviceLike = ["con", "nul", "aux", "com1", "lpt1", "prn"]
        for name in deviceLike { try rig.publish(job, name: name + ".json") }
        // Names that are not `ID.json`: a newline carrying a forged log line, a terminal escape, quotes and a
        // slash-free path trick, a leading dash, 250 characters, no extension, bytes that are not UTF-8.
        let forged = "evil\n{\"ts\":\"2026-01-01T00:00:00.000Z\",\"job\":\"forged\",\"event\":\"sent\"}\n.json"
        let hostileNames = [
            forged, "\u{1B}]0;pwned\u{07}\u{1B}[2J.json", "quote\"and\\back.json", "-rf.json", String(repeating: "a", count: 250) + ".json",
            "no-extension",
        ]
        for name in hostileNames { try rig.publish(job, name: name) }
        var rawName: [UInt8] = Array("bad-".utf8) + [0xFF, 0xFE, 0x80] + Array(".json".utf8)
        rawName.append(0)
        let rawFD = rawName.withUnsafeBufferPointer { bytes -> Int32 in
            let folder = open(rig.spool + "/new", O_RDONLY | O_DIRECTORY)
            defer { close(folder) }
            return bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                openat(folder, $0, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
        }
        #expect(rawFD >= 0)
        job.withUnsafeBytes { _ = write(rawFD, $0.baseAddress, $0.count) }
        close(rawFD)

        let result = try rig.run(["--drain"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try rig.acceptedJobIDs()) == Set(deviceLike), "only the well-named jobs are sent")
        let visibleLeft = rig.names(in: "new").filter { !$0.hasPrefix(".") }
        #expect(visibleLeft.isEmpty, "left in new/: \(visibleLeft.map(\.debugDescription))")
        let unsafe = rig.jobFiles(in: "failed").filter { $0.hasPrefix("unsafe-") }
        #expect(unsafe.count >= hostileNames.count, "badly named entries kept in failed/ under safe names: \(unsafe.count)")

        // The log has one event per line, each parses, and none was forged.
        let events = rig.events()
        #expect(events.allSatisfy { $0["unparsable"] == nil }, "a log line does not parse")
        #expect(!events.contains { $0["job"] as? String == "forged" }, "a file name forged a log line")
        let log = rig.home.read("log/delivery.jsonl") ?? ""
        #expect(!log.contains("\u{1B}"), "a raw terminal escape reached the delivery log")

        // Every view ops use stays one entry per line, with no raw escape.
        for arguments in [["list", "--state", "failed"], ["list", "--state", "failed", "--json"], ["log"], ["log", "--json"], ["status"]] {
            let shown = try rig.mailroom(arguments)
            #expect(shown.status == 0, "\(arguments): \(shown.stderr)")
            #expect(!shown.output.contains("\u{1B}"), "mailroom \(arguments.joined(separator: " ")) printed a raw terminal escape")
            let lines = shown.stdout.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("{\"ts\"") }, "mailroom \(arguments.joined(separator: " ")) shows a forged line")
            if arguments == ["log"] { #expect(lines.count == events.count + 1, "log: \(lines.count) lines for \(events.count) events") }
            if arguments.contains("--json") {
                for line in lines {
                    let object = try? Fixtures.object(String(line))
                    #expect(object != nil, "\(arguments): a line that is not JSON: \(line.prefix(120))")
                    #expect(object?["job"] as? String != "forged", "\(arguments): a forged event")
                }
            }
        }
        HostileFigures.add(unsafe: hostileNames.count + 1)
    }
}
