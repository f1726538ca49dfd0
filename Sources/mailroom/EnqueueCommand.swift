import ArgumentParser

/// `mailroom enqueue` (not built yet).
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enqueue", abstract: "Not built yet.")

    func run() async throws {
        throw CleanExit.message("mailroom enqueue is not built yet")
    }
}
