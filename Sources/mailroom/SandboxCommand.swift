import ArgumentParser

/// `mailroom sandbox` (not built yet).
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom sandbox is not built yet")
    }
}
