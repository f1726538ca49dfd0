import Foundation

/// The same suites run fast in `make test` and large in `make soak`, which sets `MAILROOM_SOAK=1`
/// (and `MAILROOM_SOAK_FIGURES=DIR`, where each suite writes the figures `Tests/Soak/RESULTS.md` reports).
enum Soak {
    static let enabled = ProcessInfo.processInfo.environment["MAILROOM_SOAK"] == "1"

    /// `fast` in `make test`, `soak` in `make soak`.
    static func size<T>(fast: T, soak: T) -> T { enabled ? soak : fast }

    /// Writes `figures` as `DIR/NAME.json` when `MAILROOM_SOAK_FIGURES` is set.
    static func report(_ name: String, _ figures: [String: Any]) {
        guard let folder = ProcessInfo.processInfo.environment["MAILROOM_SOAK_FIGURES"], !folder.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let data = try? JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted]) else { return }
        try? data.write(to: URL(fileURLWithPath: folder + "/" + name + ".json"))
    }
}
