import Foundation
import TestSupport
import Testing
import Worker

/// The delivery log is opened with `O_NOFOLLOW`: a symlink planted at its name (the log folder may be shared
/// with the group that publishes jobs) does not send delivery records into another file.
@Suite struct DeliveryLogOpeningTests {
    @Test func aSymlinkAtTheLogsNameIsRefusedAndItsTargetUntouched() throws {
        let home = TemporaryHome()
        let outside = TemporaryHome()
        let target = try outside.write("victim", "untouched\n")
        try FileManager.default.createDirectory(atPath: home.path + "/log", withIntermediateDirectories: true)
        #expect(symlink(target, home.deliveryLog) == 0)
        let error = #expect(throws: (any Error).self) { _ = try DeliveryLogWriter(path: home.deliveryLog) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("cannot open the delivery log \(home.deliveryLog)"))
        #expect(outside.read("victim") == "untouched\n")
    }

    @Test func eventsAreAppendedWholeOnePerLine() throws {
        let home = TemporaryHome()
        let writer = try DeliveryLogWriter(path: home.deliveryLog)
        for index in 0..<50 { try writer.record(DeliveryEvent(job: "job-\(index)", event: .sent)) }
        let lines = (home.read("log/delivery.jsonl") ?? "").split(separator: "\n")
        #expect(lines.count == 50 && lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }
}
