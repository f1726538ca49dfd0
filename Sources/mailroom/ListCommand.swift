import ArgumentParser
import Foundation
import MailroomCore
import Spool

/// `mailroom list [--state S] [--json]`: one job per line, streamed (docs/spool.md#operator-commands), like `postqueue -p` / `-j`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs: ID, state, attempts, age, next retry, recipients, last error.",
        discussion: """
            Streams the spool folder by folder, so a million jobs list in constant memory. Without --state it lists \
            ready, active, deferred, held and failed jobs; --state sent lists the records of jobs sent in the last 7 \
            days. Like postqueue, a job that moves while the listing runs may show twice or not at all. JSON lines \
            always carry id, state, attempts, queued_at, age_seconds, next_retry_at, recipients and last_error; \
            other keys appear when they apply. An unsafe entry (never a job) shows as STATE! / "unsafe": true.
            """
    )

    @OptionGroup var paths: PathOptions

    @Option(help: "Only jobs in this state: ready, active, deferred, held, failed or sent.")
    var state: JobState?

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    @Flag(help: "Do not read job files (no recipient counts); faster on huge spools.")
    var noRecipients = false

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        let listing = state.map { spool.entries(in: $0, details: !noRecipients) } ?? spool.entries(details: !noRecipients)
        let output = StreamingOutput()
        let now = Date()
        if !json { output.line(JobTable.header) }
        for entry in listing {
            output.line(json ? JSONValue.object(JobJSON.members(entry, now: now)).rendered(pretty: false) : JobTable.row(entry, now: now))
        }
        output.flush()
    }
}

extension JobState: ExpressibleByArgument {}
