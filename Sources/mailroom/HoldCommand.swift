import ArgumentParser
import Spool

/// `mailroom hold ID…`: park jobs so no worker sends them; held jobs never expire.
struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Park jobs (ready, deferred or held by a worker) so they are not sent; release takes them back.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "Job IDs.")
    var ids: [String]

    @Flag(help: "Print a JSON line per job instead of text.")
    var json = false

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        try OperatorActions.run(on: ids, json: json) { try spool.holdJob($0) }
    }
}
