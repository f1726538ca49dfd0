import Foundation
import TestSupport
import Testing

/// `mailroom enqueue` through the binary: valid jobs are published byte-identical; invalid ones are refused
/// with exit 65 and the field named, leaving nothing in tmp/ or new/ (issue 3, acceptance 1).
@Suite struct EnqueueTests {
    static let fixtureJobs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path("jobs"))) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    @Test func thereAreFixtureJobsToEnqueue() {
        #expect(Self.fixtureJobs.count >= 4)
    }

    @Test(arguments: fixtureJobs)
    func fixtureJobIsPublishedByteIdenticalUnderItsPrintedID(_ name: String) throws {
        let spool = SpoolFixture()
        let result = try spool.mailroom(["enqueue", Fixtures.path("jobs/" + name)])
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 26, "a ULID: \(id)")
        #expect(spool.names("new") == [id + ".json"])
        #expect(spool.data("new/\(id).json") == FileManager.default.contents(atPath: Fixtures.path("jobs/" + name)))
        #expect(spool.names("tmp").isEmpty)
    }

    @Test func jobFromStdinWithGivenIDIsPublishedUnderThatID() throws {
        let spool = SpoolFixture()
        let body = validJob("stdin")
        let result = try spool.mailroom(["enqueue", "-", "--id", "order-991.confirmation"], stdin: Data(body.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "order-991.confirmation\n")
        #expect(spool.data("new/order-991.confirmation.json") == Data(body.utf8))
    }

    @Test func generatedIDsAreUniqueAndSortByTime() throws {
        let spool = SpoolFixture()
        var ids: [String] = []
        for index in 0..<3 {
            let result = try spool.mailroom(["enqueue"], stdin: Data(validJob("n\(index)").utf8))
            ids.append(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            Thread.sleep(forTimeInterval: 0.003)
        }
        #expect(Set(ids).count == 3)
        #expect(ids == ids.sorted())
        #expect(spool.names("new") == ids.map { $0 + ".json" })
    }

    @Test func enqueueOfAnIDAlreadyInTheSpoolWritesNothingAndExitsZero() throws {
        let spool = SpoolFixture()
        let first = Data(validJob("first").utf8)
        #expect(try spool.mailroom(["enqueue", "--id", "dup-1"], stdin: first).status == 0)
        let second = try spool.mailroom(["enqueue", "--id", "dup-1"], stdin: Data(validJob("second").utf8))
        #expect(second.status == 0)
        #expect(second.stderr.contains("already in the spool (ready)"), "\(second.stderr)")
        #expect(spool.data("new/dup-1.json") == first)
        #expect(spool.names("tmp").isEmpty)
        #expect(spool.logEvents().contains { $0["job"] as? String == "dup-1" && $0["event"] as? String == "duplicate" })
    }

    @Test func enqueueOfAnIDSentInTheLastSevenDaysWritesNothing() throws {
        let spool = SpoolFixture()
        #expect(try spool.mailroom(["enqueue", "--id", "sent-1"], stdin: Data(validJob("a").utf8)).status == 0)
        #expect(try spool.mailroom(["debug-spool", "claim", "--then", "sent"]).status == 0)
        #expect(spool.names("sent") == ["sent-1.json"])
        let again = try spool.mailroom(["enqueue", "--id", "sent-1"], stdin: Data(validJob("a").utf8))
        #expect(again.status == 0)
        #expect(again.stderr.contains("was sent in the last 7 days"), "\(again.stderr)")
        #expect(spool.names("new").isEmpty)
    }

    @Test(arguments: ["-leading-dash", ".hidden", "has space", "slash/inside", String(repeating: "a", count: 129), "ünïcode"])
    func invalidJobIDIsRefusedWithExit65(_ id: String) throws {
        let spool = SpoolFixture()
        let result = try spool.mailroom(["enqueue", "--id=\(id)"], stdin: Data(validJob("x").utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("invalid job ID"), "\(result.stderr)")
        #expect(spool.names("new").isEmpty)
        #expect(spool.names("tmp").isEmpty)
    }

    @Test func missingInputFileExits66() throws {
        let spool = SpoolFixture()
        let result = try spool.mailroom(["enqueue", spool.home.path + "/nope.json"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("nope.json"))
    }

    // MARK: Invalid jobs

    /// Our own hostile jobs: (name, bytes, the field the refusal must name).
    static let invalidJobs: [InvalidJob] = {
        let inOneDay = Int(Date().timeIntervalSince1970) + 80 * 3600
        var jobs: [InvalidJob] = [
            InvalidJob("empty file", "", "job"),
            InvalidJob("white space only", "  \n\t ", "job"),
            InvalidJob("not JSON", "hello", "job"),
            InvalidJob("a JSON array", "[{\"to\": \"a@example.com\"}]", "job"),
            InvalidJob("a JSON string", "\"to\"", "job"),
            InvalidJob("truncated", "{\"to\": \"a@example.com\", \"subject\": \"x\"", "job"),
            InvalidJob("missing to", "{\"subject\": \"x\", \"text\": \"y\"}", "to"),
            InvalidJob("empty to list", "{\"to\": [], \"subject\": \"x\", \"text\": \"y\"}", "to"),
            InvalidJob(
                "from is not allowed", "{\"to\": \"a@example.com\", \"from\": \"b@example.com\", \"subject\": \"x\", \"text\": \"y\"}", "from"),
            InvalidJob("unknown top-level field", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"priority\": 1}", "priority"),
            InvalidJob("CR LF in subject", "{\"to\": \"a@example.com\", \"subject\": \"x\\r\\nBcc: c@example.com\", \"text\": \"y\"}", "subject"),
            InvalidJob("subject without content", "{\"to\": \"a@example.com\", \"subject\": \"x\"}", "text"),
            InvalidJob("neither subject nor template", "{\"to\": \"a@example.com\", \"text\": \"y\"}", "subject"),
            InvalidJob("empty template_id", "{\"to\": \"a@example.com\", \"template_id\": \"\"}", "template_id"),
            InvalidJob("to is not an address", "{\"to\": \"not-an-address\", \"subject\": \"x\", \"text\": \"y\"}", "to"),
            InvalidJob("second address invalid", "{\"to\": [\"a@example.com\", \"b@@example.com\"], \"subject\": \"x\", \"text\": \"y\"}", "to[1]"),
            InvalidJob(
                "comma in a name", "{\"to\": [{\"email\": \"a@example.com\", \"name\": \"Souza, Ana\"}], \"subject\": \"x\", \"text\": \"y\"}",
                "to[0].name"),
            InvalidJob("object address without email", "{\"to\": [{\"name\": \"Ana\"}], \"subject\": \"x\", \"text\": \"y\"}", "to[0].email"),
            InvalidJob(
                "eleven categories",
                "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"categories\": [\((1...11).map { "\"c\($0)\"" }.joined(separator: ","))]}",
                "categories"),
            InvalidJob("negative send_at", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"send_at\": -5}", "send_at"),
            InvalidJob(
                "send_at 80 hours ahead", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"send_at\": \(inOneDay)}", "send_at"),
            InvalidJob(
                "reserved custom arg", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"custom_args\": {\"mailroom_job\": \"z\"}}",
                "custom_args.mailroom_job"),
            InvalidJob(
                "attachment not base64",
                "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"attachments\": [{\"filename\": \"a.txt\", \"content\": \"%%%\"}]}",
                "attachments[0].content"),
            InvalidJob("duplicate key", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"subject\": \"z\", \"text\": \"y\"}", "subject"),
            InvalidJob(
                "integration is a string", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"integration\": \"105\"}", "integration"
            ),
            InvalidJob(
                "header value with LF", "{\"to\": \"a@example.com\", \"subject\": \"x\", \"text\": \"y\", \"headers\": {\"X-Ref\": \"a\\nb\"}}",
                "headers.X-Ref"),
        ]
        jobs.append(InvalidJob("invalid UTF-8", Data([0x7B, 0x22, 0x74, 0x6F, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), "job"))
        jobs.append(InvalidJob("UTF-8 byte order mark", Data([0xEF, 0xBB, 0xBF]) + Data(validJob("bom").utf8), "job"))
        return jobs
    }()

    @Test func atLeastTwentyFiveOwnInvalidJobs() {
        #expect(Self.invalidJobs.count >= 25)
    }

    @Test(arguments: invalidJobs)
    func invalidJobIsRefusedNamingTheFieldAndLeavesNothing(_ job: InvalidJob) throws {
        try expectRefused(job.data, field: job.field, label: job.name)
    }

    @Test func jobOverTwentyMiBIsRefusedNamingTheFile() throws {
        var data = Data(validJob("big").utf8)
        data.append(Data(repeating: 0x20, count: 20 * 1024 * 1024))
        try expectRefused(data, field: "job", label: "over 20 MiB")
    }

    /// The shared hostile corpus (`fixtures/bad-jobs/`, with `expected.json` naming each file's field), when present.
    static let corpus: [String: String] = {
        guard let data = FileManager.default.contents(atPath: Fixtures.path("bad-jobs/expected.json")) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
    }()

    @Test(arguments: corpus.keys.sorted())
    func corpusJobIsRefusedNamingItsField(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Fixtures.path("bad-jobs/" + name)))
        try expectRefused(data, field: try #require(Self.corpus[name]), label: name)
    }

    private func expectRefused(_ data: Data, field: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let spool = SpoolFixture()
        let result = try spool.mailroom(["enqueue", "-"], stdin: data, sourceLocation: sourceLocation)
        #expect(result.status == 65, "\(label): exit \(result.status), \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains("invalid job: \(field):"), "\(label): expected field \(field) in: \(result.stderr)", sourceLocation: sourceLocation
        )
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(spool.everything("tmp").isEmpty && spool.everything("new").isEmpty, "\(label): something was written", sourceLocation: sourceLocation)
    }
}

/// A job that must be refused, and the field the refusal names.
struct InvalidJob: Sendable, CustomTestStringConvertible {
    var name: String
    var data: Data
    var field: String

    init(_ name: String, _ text: String, _ field: String) {
        self.init(name, Data(text.utf8), field)
    }

    init(_ name: String, _ data: Data, _ field: String) {
        self.name = name
        self.data = data
        self.field = field
    }

    var testDescription: String { name }
}
