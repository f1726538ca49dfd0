import Logging
import MailroomCore

/// A swift-log handler for people: `2026-11-29T10:00:00.000Z info worker started environment=stage`.
/// Control characters in the message and values are escaped, so every event is exactly one line.
public struct TextLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(label: String, level: Logger.Level) {
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
        StandardError.write(Array(Self.line(timestamp: Timestamps.now(), level: level, message: message.description, metadata: merged).utf8))
    }

    /// One event as one line: the message and every key and value go through `LogText`, so nothing
    /// they hold (an entry name an application chose) can start another line or drive the terminal.
    static func line(timestamp: String, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\(LogText.escaped($0.key))=\(LogText.escaped($0.value.description))" }
            .joined(separator: " ")
        return "\(timestamp) \(level.rawValue) \(LogText.escaped(message))\(fields.isEmpty ? "" : " " + fields)\n"
    }
}
