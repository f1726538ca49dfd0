import ArgumentParser

/// `mailroom release` (not built yet).
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom release is not built yet")
    }
}
