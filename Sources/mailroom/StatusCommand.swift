import ArgumentParser

/// `mailroom status` (not built yet).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom status is not built yet")
    }
}
