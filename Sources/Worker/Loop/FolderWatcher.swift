@preconcurrency import Dispatch
import Foundation
import Logging

/// Turns inotify events on a few folders into wake-ups. It is only a hint: the loop also rescans on a
/// timer, because inotify queues can overflow (`IN_Q_OVERFLOW`), and an overflow is itself a wake-up.
final class FolderWatcher: @unchecked Sendable {
    private let descriptor: Int32
    private let source: any DispatchSourceRead

    /// Watches `folders` for files moved or written into them; calls `onChange` with the folder's
    /// index in `folders` (or nil after an overflow) on a private queue.
    init?(folders: [String], logger: Logger, onChange: @escaping @Sendable (Int?) -> Void) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            logger.warning("inotify unavailable; relying on the periodic rescan", metadata: ["errno": "\(errno)"])
            return nil
        }
        var watches: [Int32: Int] = [:]
        for (index, folder) in folders.enumerated() {
            let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE)
            let wd = inotify_add_watch(fd, folder, mask)
            if wd >= 0 { watches[wd] = index } else { logger.warning("cannot watch \(folder); relying on the periodic rescan") }
        }
        let known = watches
        descriptor = fd
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "mailroom.inotify"))
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var changed = Set<Int>()
            var overflowed = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                var offset = 0
                buffer.withUnsafeBytes { raw in
                    while offset + MemoryLayout<inotify_event>.size <= count {
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                        if let index = known[event.wd] { changed.insert(index) }
                        offset += MemoryLayout<inotify_event>.size + Int(event.len)
                    }
                }
            }
            if overflowed { onChange(nil) }
            for index in changed { onChange(index) }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
    }

    func stop() {
        source.cancel()
    }
}
