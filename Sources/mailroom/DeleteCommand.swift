import ArgumentParser

/// `mailroom delete` (not built yet).
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom delete is not built yet")
    }
}
