import Foundation
import MailroomCore

/// Reads the delivery log line by line, without loading the whole file, and filters it.
public struct DeliveryLogReader: Sendable {
    /// Which events to keep.
    public struct Filter: Sendable {
        public var job: String?
        public var event: DeliveryEvent.Kind?
        public var since: Date?

        public init(job: String? = nil, event: DeliveryEvent.Kind? = nil, since: Date? = nil) {
            self.job = job
            self.event = event
            self.since = since
        }

        public func matches(_ event: DeliveryEvent) -> Bool {
            if let job, event.job != job { return false }
            if let kind = self.event, event.event != kind { return false }
            if let since, let date = event.date, date < since { return false }
            return true
        }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` for each matching event from byte `offset` on; returns the offset after the last
    /// complete line, so a follower can continue from there. Lines that do not parse are skipped.
    @discardableResult
    public func scan(from offset: UInt64 = 0, filter: Filter = Filter(), _ body: (DeliveryEvent) throws -> Void) throws -> UInt64 {
        try checkReadable()
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw PlainFailure(.ioError, "cannot read the delivery log \(path)")
            }
            return 0
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        var consumed = offset
        var pending = Data()
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                let line = pending[start..<newline]
                consumed += UInt64(newline - start + 1)
                start = newline + 1
                if let event = DeliveryEvent(line: line), filter.matches(event) {
                    try body(event)
                }
            }
            pending = Data(pending[start...])
        }
        return consumed
    }

    /// Throws (exit 74) when the log path exists but is not a readable file; a missing log is an empty one.
    public func checkReadable() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw PlainFailure(.ioError, "the delivery log \(path) is a folder, not a file")
        }
        if FileManager.default.fileExists(atPath: path), !FileManager.default.isReadableFile(atPath: path) {
            throw PlainFailure(.ioError, "cannot read the delivery log \(path)")
        }
    }

    /// The log file's inode and size, or nil if it does not exist: a follower notices rotation by them.
    public func identity() -> (inode: UInt64, size: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_ino), UInt64(info.st_size))
    }

    /// All matching events (for small queries such as one job's history).
    public func events(_ filter: Filter = Filter()) throws -> [DeliveryEvent] {
        var events: [DeliveryEvent] = []
        try scan(filter: filter) { events.append($0) }
        return events
    }
}
