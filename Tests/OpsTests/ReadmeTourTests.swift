import Foundation
import TestSupport
import Testing

/// The README's "five-minute tour", run line by line as a reader would: it must end with a message delivered to
/// the sandbox and a `sent` line in the delivery log. The sandbox runs on a free port instead of 8025, and every
/// line the test does not know how to run fails it, so the README cannot drift from what is tested.
@Suite struct ReadmeTourTests {
    /// The tour's shell lines, without comments and blank lines.
    static func tourLines() throws -> [String] {
        let readme = try Repository.text("README.md")
        let section = try #require(readme.range(of: "## A five-minute tour"), "README.md has no five-minute tour")
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"), "the tour has no ```sh block")
        let close = try #require(rest[open.upperBound...].range(of: "```"), "the tour's block is not closed")
        return rest[open.upperBound..<close.lowerBound].split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// What the reader's sandbox listens on in the README, replaced by the test sandbox's address.
    static let readmeAddress = "127.0.0.1:8025"

    @Test func theTourDeliversAMessageToTheSandboxAndLogsItAsSent() throws {
        let lines = try Self.tourLines()
        let home = TemporaryHome()
        var environment: [String: String] = [:]
        var sandbox: SandboxProcess?
        defer { sandbox?.stop() }
        var enqueued: [String] = []
        var outputs: [String: String] = [:]

        for line in lines {
            if line == "swift build" { continue }  // the test runs the binary this build made
            if line.hasPrefix("alias mailroom=") {
                #expect(line.contains(".build/debug/mailroom"), "the alias must point at the debug build: \(line)")
                continue
            }
            if line.hasPrefix("export MAILROOM_HOME=") {
                environment["MAILROOM_HOME"] = home.path
                continue
            }
            if line.hasPrefix("curl ") {
                let server = try #require(sandbox, "the tour calls the sandbox before starting it")
                let url = try #require(line.split(separator: " ").last { $0.hasPrefix("http://") })
                let path = try #require(url.range(of: Self.readmeAddress)).upperBound
                let reply = try server.request("GET", String(url[path...]))
                #expect(reply.status == 200, "\(line): \(reply.status) \(reply.text.prefix(300))")
                outputs[line] = reply.text
                continue
            }
            if line.hasPrefix("open ") {
                // The reader's browser: the sandbox must answer the inbox page there.
                let server = try #require(sandbox, "the tour opens the page before starting the sandbox")
                let url = try #require(line.split(separator: " ").last { $0.hasPrefix("http://") })
                let path = try #require(url.range(of: Self.readmeAddress)).upperBound
                let reply = try server.request("GET", String(url[path...]), headers: ["Accept": "text/html"])
                #expect(reply.status == 200, "\(line): \(reply.status)")
                #expect(reply.headers["content-type"]?.hasPrefix("text/html") == true, "\(line): not a page")
                #expect(reply.text.contains("/assets/inbox.js"), "\(line): not the inbox page")
                continue
            }
            guard line.hasPrefix("mailroom ") else {
                Issue.record("the tour has a line this test does not know how to run: \(line)")
                continue
            }
            #expect(!line.contains("\"") && !line.contains("'"), "tour commands are run without a shell; no quoting: \(line)")
            var arguments = line.split(separator: " ").dropFirst().map(String.init)
            if arguments.first == "sandbox" {
                #expect(arguments.contains(Self.readmeAddress), "the tour's sandbox should listen on \(Self.readmeAddress)")
                sandbox = try SandboxProcess()
                continue
            }
            let port = sandbox.map { String($0.port) } ?? "8025"
            arguments = arguments.map { argument in
                if argument.hasPrefix("fixtures/") { return Repository.path(argument) }
                return argument.replacingOccurrences(of: Self.readmeAddress, with: "127.0.0.1:" + port)
            }
            let result = try MailroomBinary.run(arguments, environment: environment)
            #expect(result.status == 0, "\(line) exited \(result.status): \(result.stderr)")
            outputs[line] = result.stdout
            if arguments.first == "enqueue" { enqueued.append(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        // The reader ends with the message in the sandbox and a sent line in the log, for the job they enqueued.
        let server = try #require(sandbox, "the tour never starts the sandbox")
        let job = try #require(enqueued.first, "the tour never enqueues a job")
        let messages = try server.messages()
        #expect(messages.count == 1)
        let request = messages.first?["request"] as? [String: Any]
        #expect((request?["custom_args"] as? [String: Any])?["mailroom_job"] as? String == job, "\(messages)")
        let events = home.deliveryEvents()
        #expect(events.contains { $0["job"] as? String == job && $0["event"] as? String == "sent" }, "\(events)")
        let logLine = try #require(lines.first { $0 == "mailroom log" }, "the tour never shows the log")
        #expect(outputs[logLine]?.contains(job) == true && outputs[logLine]?.contains(" sent ") == true, "\(outputs[logLine] ?? "")")
        if let status = lines.first(where: { $0 == "mailroom status" }) {
            #expect(outputs[status]?.contains(/sent \(7d\) +1\n/) == true, "\(outputs[status] ?? "")")
        }
    }
}
