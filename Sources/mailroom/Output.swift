import Foundation

/// Writing to stdout and stderr, unbuffered by Foundation, one call per line.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("mailroom: warning: \(text)\n".utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("mailroom: \(text)\n".utf8))
    }
}
