import ArgumentParser

/// `mailroom hold` (not built yet).
struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom hold is not built yet")
    }
}
