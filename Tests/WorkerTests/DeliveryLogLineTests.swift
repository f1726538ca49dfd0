import Foundation
import MailroomCore
import Testing
import Worker

/// The delivery log's lines are written by hand: each must still be one JSON object per line, keys sorted,
/// nil fields left out, and read back by `DeliveryLogReader` as the event that was written.
@Suite struct DeliveryLogLineTests {
    static let events = [
        DeliveryEvent(
            job: "job-00001", event: .sent, attempt: 1, integration: 3, environment: .stage, recipients: 2, httpStatus: 202,
            messageID: "msg-1", duration: .milliseconds(12)),
        DeliveryEvent(job: "job-00002", event: .failed, attempt: 0, error: "subject: line breaks \r\n, \"quotes\", \\ and \u{1} are not allowed"),
        DeliveryEvent(job: "odd name/é ✓", event: .duplicate),
        DeliveryEvent(
            job: "job-00003", event: .deferred, attempt: 2, integration: 1, environment: .production, recipients: 1, httpStatus: 503,
            duration: .seconds(1.5), error: "HTTP 503: Service Unavailable; next try at 2026-11-29T05:00:00.000Z"),
    ]

    @Test func linesReadBackAsTheEventsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("log-lines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("delivery.log").path
        let writer = try DeliveryLogWriter(path: path)
        for event in Self.events { try writer.record(event) }

        var read: [DeliveryEvent] = []
        try DeliveryLogReader(path: path).scan { read.append($0) }
        #expect(read == Self.events)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == Self.events.count + 1 && lines.last == "")
    }

    @Test func keysAreSortedAndNilFieldsLeftOut() throws {
        for event in Self.events {
            let line = event.jsonLine
            #expect(line.last == 0x0A)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let keys = try Self.keysInOrder(Data(line.dropLast()))
            #expect(keys == keys.sorted(), "\(keys)")
            #expect(Set(keys) == Set(object.keys))
            #expect((object["error"] != nil) == (event.error != nil))
            #expect((object["message_id"] != nil) == (event.messageID != nil))
        }
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(Self.events[0].jsonLine)) as? [String: Any])
        #expect(sent["duration_ms"] as? Int == 12)
        #expect(sent["http_status"] as? Int == 202)
        #expect(sent["environment"] as? String == "stage")
    }

    /// The top-level keys of a flat JSON object, in the order they appear.
    static func keysInOrder(_ data: Data) throws -> [String] {
        let text = try #require(String(data: data, encoding: .utf8))
        var keys: [String] = []
        var index = text.startIndex
        var depth = 0
        var expectingKey = false
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "{":
                depth += 1
                expectingKey = true
            case ",":
                expectingKey = depth == 1
            case "\"":
                var end = text.index(after: index)
                var literal = ""
                while text[end] != "\"" {
                    if text[end] == "\\" { end = text.index(after: end) }
                    literal.append(text[end])
                    end = text.index(after: end)
                }
                if expectingKey { keys.append(literal) }
                expectingKey = false
                index = end
            default:
                break
            }
            index = text.index(after: index)
        }
        return keys
    }
}
