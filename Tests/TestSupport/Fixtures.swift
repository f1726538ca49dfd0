import Foundation

/// The project's `fixtures/` folder.
public enum Fixtures {
    public static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../fixtures").standardized.path

    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// A file elsewhere in the repository (`examples/…`, `docs/…`).
    public static func repositoryPath(_ relative: String) -> String {
        URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent(relative).path
    }

    public static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// Parses a fixture (or any JSON text) to a dictionary.
    public static func object(_ text: String) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}
