import Glibc
import MailroomCore

/// Buffered stdout for long listings: one `write(2)` per 64 KiB, and a quiet stop when the reader goes away.
final class StreamingOutput {
    private var buffer = [UInt8]()

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { exit(errno == EPIPE ? 0 : ExitStatus.ioError.rawValue) }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        flush()
    }
}
