import Logging
import MailroomCore

/// A swift-log handler that writes one JSON object per line to stderr: `ts`, `level`, `label`, `msg`
/// and the metadata as string fields, keys in ascending order. For log shippers; `TextLogHandler` is the
/// human form. Written with `JSONWriter`, as the delivery log is, so both escape text the same way.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let merged = metadata.merging(explicit ?? [:], uniquingKeysWith: { _, new in new })
        StandardError.write(Self.line(timestamp: Timestamps.now(), level: level, label: label, message: message.description, metadata: merged))
    }

    /// One event as one line. Metadata named like a fixed field (`ts`, `level`, `label`, `msg`) replaces it.
    static func line(timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var fields: [String: String] = ["ts": timestamp, "level": level.rawValue, "label": label, "msg": message]
        for (key, value) in metadata { fields[key] = value.description }
        var writer = JSONWriter(reservingCapacity: 256)
        writer.stringObject(fields)
        var line = writer.bytes
        line.append(0x0A)
        return line
    }
}
