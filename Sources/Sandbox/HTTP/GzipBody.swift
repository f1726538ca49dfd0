import CZlibShim
import NIOCore

/// `Content-Encoding: gzip` request bodies, which SendGrid accepts (its OpenAPI document's only
/// encoding). The 30 MB cap applies to the inflated size too, so a small "zip bomb" cannot make
/// the sandbox allocate more than an ordinary body would.
enum GzipBody {
    enum Outcome: Sendable {
        case inflated(ByteBuffer)
        /// The inflated body would reach `limit` bytes.
        case tooLarge
        /// Not one complete gzip stream.
        case badData
    }

    /// Inflates `body`, allowing at most `limit` bytes out. Starts with a buffer sized from the
    /// input and grows it only when a body really inflates that far.
    static func inflate(_ body: ByteBuffer, limit: Int) -> Outcome {
        var capacity = min(limit, max(1 << 16, body.readableBytes * 8))
        while true {
            var status = ZLIB_SHIM_OK
            var written = 0
            var output = ByteBuffer()
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { out in
                body.withUnsafeReadableBytes { input in
                    status = zlib_shim_gunzip(
                        input.bindMemory(to: UInt8.self).baseAddress, input.count, out.bindMemory(to: UInt8.self).baseAddress, capacity,
                        &written)
                }
                return status == ZLIB_SHIM_OK ? written : 0
            }
            switch status {
            case ZLIB_SHIM_OK: return .inflated(output)
            case ZLIB_SHIM_TOO_LARGE:
                if capacity >= limit { return .tooLarge }
                capacity = min(limit, capacity * 4)
            default: return .badData
            }
        }
    }
}
