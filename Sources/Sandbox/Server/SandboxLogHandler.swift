import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain stderr log handler whose metadata setter is a dictionary store.
///
/// Hummingbird tags every request's logger with a request id; swift-log's `StreamLogHandler`
/// re-renders all metadata on each such set, which cost about 7% of a benchmark request even with
/// nothing logged. This handler renders only when it actually writes a line.
public struct SandboxLogHandler: LogHandler {
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

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let rendered = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Timestamp.now()) \(event.level) \(label):\(rendered) \(event.message)\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private enum Timestamp {
        static func now() -> String { WallClock.iso8601(nanoseconds: WallClock.nowNanoseconds()) }
    }
}
