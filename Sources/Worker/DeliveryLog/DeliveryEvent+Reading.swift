import Foundation
import MailroomCore

extension DeliveryEvent {
    /// A log line read back with the reader every other JSON input goes through (`JSONReader`), or nil when it
    /// is not a delivery event: not a JSON object, `ts`, `job` or `event` missing, an unknown event, or a field of
    /// the wrong type (what `Codable` decoding refused before). Unknown fields are ignored, as readers should.
    init?(line: some DataProtocol & ContiguousBytes) {
        guard let object = (try? JSONReader.read(line, options: .keepingDuplicates))?.objectValue,
            let ts = object["ts"]?.stringValue, let job = object["job"]?.stringValue,
            let kind = object["event"]?.stringValue.flatMap(Kind.init(rawValue:))
        else { return nil }
        do throws(WrongType) {
            self.init(job: job, event: kind)
            self.ts = ts
            attempt = try Self.int(object["attempt"])
            integration = try Self.int(object["integration"])
            environment = try Self.string(object["environment"])
            recipients = try Self.int(object["recipients"])
            httpStatus = try Self.int(object["http_status"])
            messageID = try Self.string(object["message_id"])
            durationMS = try Self.int(object["duration_ms"])
            error = try Self.string(object["error"])
        } catch {
            return nil
        }
    }

    /// A field present with a type its member cannot hold.
    private struct WrongType: Error {}

    /// An optional whole number: absent or `null` is nil.
    private static func int(_ value: JSONValue?) throws(WrongType) -> Int? {
        guard let value, value != .null else { return nil }
        guard let number = value.intValue else { throw WrongType() }
        return number
    }

    /// An optional string: absent or `null` is nil.
    private static func string(_ value: JSONValue?) throws(WrongType) -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.stringValue else { throw WrongType() }
        return text
    }
}
