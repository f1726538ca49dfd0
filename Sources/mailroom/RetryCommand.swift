import ArgumentParser
import Spool
import Worker

/// `mailroom retry ID…|--failed|--held`: back to ready with a fresh attempt count, logged as `requeued`.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Move jobs back to ready with a fresh attempt count (logged as requeued).",
        discussion: "Works on deferred, held and failed jobs. --held includes jobs a worker held for a paused integration.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "Job IDs.")
    var ids: [String] = []

    @Flag(help: "Retry every failed job.")
    var failed = false

    @Flag(help: "Retry every held job.")
    var held = false

    @Flag(help: "Print a JSON line per job instead of text.")
    var json = false

    func validate() throws {
        let choices = (ids.isEmpty ? 0 : 1) + (failed ? 1 : 0) + (held ? 1 : 0)
        guard choices == 1 else { throw ValidationError("give job IDs, or --failed, or --held (exactly one of them)") }
    }

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        // An operator's retry is also the word to try a refused key again (docs/spool.md#outcomes).
        if held || !ids.isEmpty { try? HealthStore(spool: spool.root).resumeRefused() }
        if failed || held {
            for result in try spool.retryAll(in: failed ? .failed : .held) { OperatorActions.print(result, json: json) }
            return
        }
        try OperatorActions.run(on: ids, json: json) { try spool.retryJob($0) }
    }
}
