import ArgumentParser

/// `mailroom list` (not built yet).
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom list is not built yet")
    }
}
