import ArgumentParser
import Spool

/// `mailroom release ID…`: take held jobs back to ready, keeping their attempt counts.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Take held jobs back to ready.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "Job IDs.")
    var ids: [String]

    @Flag(help: "Print a JSON line per job instead of text.")
    var json = false

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        try OperatorActions.run(on: ids, json: json) { try spool.releaseJob($0) }
    }
}
