import Glibc

/// A folder entry's name as the kernel gave it: raw bytes (which need not be UTF-8) for system calls,
/// and a printable form for messages. Names of real jobs are always ASCII, so both forms agree for them.
struct EntryName: Sendable, Hashable, CustomStringConvertible {
    /// The name's bytes followed by a NUL.
    private let bytes: [CChar]
    /// The name as text, with any invalid UTF-8 replaced; for messages only, never for system calls.
    let description: String

    init(_ text: String) {
        bytes = Array(text.utf8CString)
        description = text
    }

    /// Copies a NUL-terminated name, such as `dirent.d_name`.
    init(cString pointer: UnsafePointer<CChar>) {
        let length = strlen(pointer)
        bytes = Array(UnsafeBufferPointer(start: pointer, count: length + 1))
        description = String(cString: pointer)
    }

    /// Runs `body` with the NUL-terminated name.
    func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { buffer in try body(buffer.baseAddress!) }
    }

    /// The name's length in bytes.
    var count: Int { bytes.count - 1 }

    /// Whether the name starts with a dot: `.`/`..`, hidden files an app's tools may leave, and the spool's own work files.
    var isHidden: Bool { bytes.first == 0x2E }

    /// The job ID if the name is `ID.json` with a valid ID; nil otherwise.
    var jobID: String? {
        JobID.fromFileName(description).flatMap { id in id.utf8.count + 5 == count ? id : nil }
    }
}
