import ArgumentParser
import Spool

/// `mailroom delete ID…|--failed ALL`: remove jobs for good, logged as `deleted`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove jobs for good (logged as deleted); --failed ALL removes every failed job.",
        discussion: "Active jobs (being sent) are never removed. Deleting a sent job's record lets its ID be enqueued again.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "Job IDs.")
    var ids: [String] = []

    @Option(name: .customLong("failed"), help: ArgumentHelp("Remove every failed job; takes the literal ALL.", valueName: "ALL"))
    var failedAll: String?

    @Flag(help: "Print a JSON line per job instead of text.")
    var json = false

    func validate() throws {
        if let failedAll {
            guard failedAll == "ALL" else { throw ValidationError("--failed takes the literal ALL (in capitals) to delete every failed job") }
            guard ids.isEmpty else { throw ValidationError("give job IDs or --failed ALL, not both") }
        } else if ids.isEmpty {
            throw ValidationError("give job IDs, or --failed ALL")
        }
    }

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        if failedAll != nil {
            for result in try spool.deleteAll(in: .failed) { OperatorActions.print(result, json: json) }
            return
        }
        try OperatorActions.run(on: ids, json: json) { try spool.deleteJob($0) }
    }
}
