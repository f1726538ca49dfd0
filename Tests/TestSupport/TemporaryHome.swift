import Foundation

/// A fresh Mailroom home in a temporary folder, removed when the value is released.
public final class TemporaryHome: @unchecked Sendable {
    public let path: String

    public init(function: String = #function) {
        let name = function.filter { $0.isLetter || $0.isNumber }.prefix(40)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mailroom-test-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    public var registry: String { path + "/registry.json" }
    public var spool: String { path + "/spool" }
    public var deliveryLog: String { path + "/log/delivery.jsonl" }

    /// `--home PATH` prepended to `arguments`, for commands that take the layout flags.
    public func arguments(_ arguments: [String]) -> [String] {
        arguments + ["--home", path]
    }

    /// Writes `text` to a file under the home and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The contents of a file under the home, or nil.
    public func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}
