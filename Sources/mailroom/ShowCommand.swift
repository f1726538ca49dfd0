import ArgumentParser

/// `mailroom show` (not built yet).
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom show is not built yet")
    }
}
