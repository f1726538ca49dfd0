import Foundation

/// The project's `fixtures/` folder.
public enum Fixtures {
    public static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../fixtures").standardized.path

    public static func path(_ relative: String) -> String { root + "/" + relative }

    public static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// Parses a fixture (or any JSON text) to a dictionary.
    public static func object(_ text: String) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}
