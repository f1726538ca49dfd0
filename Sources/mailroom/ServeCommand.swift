import ArgumentParser

/// `mailroom serve` (not built yet).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom serve is not built yet")
    }
}
