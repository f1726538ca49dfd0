import Glibc

/// Unbuffered, whole-line writes to stderr: one `write(2)` per event, so lines of concurrent tasks never
/// interleave and nothing is lost in a buffer when the process is killed.
enum StandardError {
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in _ = Glibc.write(2, raw.baseAddress, raw.count) }
    }
}
