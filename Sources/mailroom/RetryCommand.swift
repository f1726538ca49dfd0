import ArgumentParser

/// `mailroom retry` (not built yet).
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom retry is not built yet")
    }
}
