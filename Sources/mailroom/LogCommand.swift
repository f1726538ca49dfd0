import ArgumentParser

/// `mailroom log` (not built yet).
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom log is not built yet")
    }
}
