import Foundation
import Testing
import Worker

/// `mailroom log` reads the delivery log through the strict JSON reader: a line that is not a delivery event
/// (torn, not JSON, an unknown event, a field of the wrong type) is skipped, and the lines around it are kept.
@Suite struct DeliveryLogSkippedLineTests {
    @Test func linesThatAreNotDeliveryEventsAreSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("log-skips-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("delivery.jsonl").path
        let lines = [
            #"{"event":"sent","job":"a","ts":"2026-11-29T10:00:00.000Z","attempt":1,"unknown":[1]}"#,
            #"{"event":"sent","job":"torn","ts":"2026-11-29T10:00:"#,
            "not json",
            #"{"event":"exploded","job":"b","ts":"2026-11-29T10:00:00.000Z"}"#,
            #"{"event":"sent","job":"c","ts":"2026-11-29T10:00:00.000Z","attempt":"1"}"#,
            #"{"event":"failed","job":"d","ts":"2026-11-29T10:00:01.000Z","http_status":null,"error":"bad"}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let events = try DeliveryLogReader(path: path).events()
        #expect(events.map(\.job) == ["a", "d"])
        #expect(events.first?.attempt == 1 && events.last?.error == "bad" && events.last?.httpStatus == nil)
    }
}
