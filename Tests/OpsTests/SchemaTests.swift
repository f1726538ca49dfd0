import Foundation
import TestSupport
import Testing

/// Everything the schema tests look at, validated in one run of `schema_verdicts.py`.
struct SchemaCorpus: Sendable {
    static let jobSchema = Repository.path("fixtures/schemas/job.schema.json")
    static let requestSchema = Repository.path("fixtures/schemas/integration-request.schema.json")
    static let createRequestFixture = Fixtures.path("integrations/create-request.json")

    /// Fixture job file name -> verdict.
    var fixtureJobs: [String: SchemaVerdict] = [:]
    /// Bad job file name -> verdict.
    var badJobs: [String: SchemaVerdict] = [:]
    /// Probe name -> verdict.
    var jobProbes: [String: SchemaVerdict] = [:]
    var createProbes: [String: SchemaVerdict] = [:]
    var updateProbes: [String: SchemaVerdict] = [:]
    var createRequestFixture: SchemaVerdict?
    let creates = SchemaProbes.createRequests()
    let updates = SchemaProbes.updateRequests()

    static let shared: Result<SchemaCorpus, any Error> = Result { try SchemaCorpus() }

    private init() throws {
        let fixtureNames = try Self.jsonFiles(in: Fixtures.path("jobs"))
        let badNames = try Self.jsonFiles(in: Fixtures.path("bad-jobs")).filter { $0 != "expected.json" }
        let scratch = TemporaryHome()
        func write(_ probes: [SchemaProbe], into folder: String) throws -> [String] {
            try FileManager.default.createDirectory(atPath: scratch.path + "/" + folder, withIntermediateDirectories: true)
            return try probes.map { probe in
                try scratch.write(folder + "/" + probe.fileName, probe.json)
            }
        }
        let jobFiles = try write(SchemaProbes.jobs, into: "jobs")
        let createFiles = try write(creates, into: "create")
        let updateFiles = try write(updates, into: "update")
        let verdicts = try SchemaValidator.run([
            .init(schema: Self.jobSchema, files: fixtureNames.map { Fixtures.path("jobs/" + $0) }),
            .init(schema: Self.jobSchema, files: badNames.map { Fixtures.path("bad-jobs/" + $0) }),
            .init(schema: Self.jobSchema, files: jobFiles),
            .init(schema: Self.requestSchema, files: [Self.createRequestFixture] + createFiles),
            .init(schema: Self.requestSchema, pointer: "/$defs/update", files: updateFiles),
        ])
        for name in fixtureNames { fixtureJobs[name] = verdicts[0][Fixtures.path("jobs/" + name)] }
        for name in badNames { badJobs[name] = verdicts[1][Fixtures.path("bad-jobs/" + name)] }
        for (probe, file) in zip(SchemaProbes.jobs, jobFiles) { jobProbes[probe.name] = verdicts[2][file] }
        createRequestFixture = verdicts[3][Self.createRequestFixture]
        for (probe, file) in zip(creates, createFiles) { createProbes[probe.name] = verdicts[3][file] }
        for (probe, file) in zip(updates, updateFiles) { updateProbes[probe.name] = verdicts[4][file] }
    }

    private static func jsonFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    }
}

/// `fixtures/schemas/` is kept true: the fixtures and the bad-jobs corpus get the verdicts they must, and on
/// edge cases of every rule the schemas agree with what the binary accepts.
@Suite(.enabled(if: HostTools.hasJSONSchema, "python3 with jsonschema 4 or newer is needed (make deps installs it)"))
struct SchemaTests {
    let corpus: SchemaCorpus

    init() throws {
        corpus = try SchemaCorpus.shared.get()
    }

    @Test func everyFixtureJobIsValid() {
        #expect(corpus.fixtureJobs.count >= 4)
        for (name, verdict) in corpus.fixtureJobs.sorted(by: { $0.key < $1.key }) {
            #expect(verdict.matches(.valid), "fixtures/jobs/\(name): \(verdict.summary)")
        }
    }

    @Test func theSampleCreateRequestIsValid() throws {
        let verdict = try #require(corpus.createRequestFixture)
        #expect(verdict.matches(.valid), "\(verdict.summary)")
    }

    @Test func everyBadJobGetsItsExpectedSchemaVerdict() throws {
        let fields = try BadJobSchemaExpectations.expectedFields()
        #expect(Set(fields.keys) == Set(corpus.badJobs.keys), "expected.json and the bad-jobs folder list different files")
        for (file, verdict) in corpus.badJobs.sorted(by: { $0.key < $1.key }) {
            let field = try #require(fields[file])
            let outcomes = BadJobSchemaExpectations.outcomes(file: file, field: field)
            let why = BadJobSchemaExpectations.exceptions[file].map { " (\($0.reason))" } ?? ""
            #expect(
                outcomes.contains { verdict.matches($0) },
                "bad-jobs/\(file) (Mailroom blames \(field)): schema says \(verdict.summary); expected \(outcomes.map(\.description).sorted())\(why)")
        }
    }

    @Test func everyExceptionNamesAFileOfTheCorpus() {
        for file in BadJobSchemaExpectations.exceptions.keys.sorted() {
            #expect(corpus.badJobs[file] != nil, "the exceptions table names \(file), which is not in fixtures/bad-jobs")
        }
    }

    @Test func jobSchemaAgreesWithEnqueueOnTheEdgesOfEachRule() throws {
        let home = TemporaryHome()
        for probe in SchemaProbes.jobs {
            let result = try MailroomBinary.run(home.arguments(["enqueue", "-"]), stdin: Data(probe.json.utf8))
            #expect(result.status == 0 || result.status == 65, "\(probe.name): enqueue exited \(result.status): \(result.stderr)")
            #expect((result.status == 0) == probe.valid, "\(probe.name): enqueue exited \(result.status): \(result.stderr)")
            let verdict = try #require(corpus.jobProbes[probe.name])
            #expect(verdict.verdict == (probe.valid ? "valid" : "invalid"), "\(probe.name): schema says \(verdict.summary)")
        }
    }

    @Test func requestSchemaAgreesWithIntegrationsAdd() throws {
        let home = TemporaryHome()
        for probe in corpus.creates {
            let result = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: Data(probe.json.utf8))
            #expect((result.status == 0) == probe.valid, "\(probe.name): integrations add exited \(result.status): \(result.stderr)")
            if !probe.valid { #expect(result.status == 65, "\(probe.name): \(result.stderr)") }
            let verdict = try #require(corpus.createProbes[probe.name])
            #expect(verdict.verdict == (probe.valid ? "valid" : "invalid"), "\(probe.name): schema says \(verdict.summary)")
        }
    }

    @Test func updateSchemaAgreesWithIntegrationsUpdate() throws {
        let home = TemporaryHome()
        let sample = try Data(contentsOf: URL(fileURLWithPath: SchemaCorpus.createRequestFixture))
        try home.mailroom(["integrations", "add", "-"], stdin: sample)
        for probe in corpus.updates {
            let result = try MailroomBinary.run(home.arguments(["integrations", "update", "1", "-"]), stdin: Data(probe.json.utf8))
            #expect((result.status == 0) == probe.valid, "\(probe.name): integrations update exited \(result.status): \(result.stderr)")
            if !probe.valid { #expect(result.status == 65, "\(probe.name): \(result.stderr)") }
            let verdict = try #require(corpus.updateProbes[probe.name])
            #expect(verdict.verdict == (probe.valid ? "valid" : "invalid"), "\(probe.name): schema says \(verdict.summary)")
        }
    }

    @Test func bothSchemasUseTheSameAddressRule() throws {
        func emailPattern(_ path: String) throws -> String? {
            let schema = try Fixtures.object(try String(contentsOfFile: path, encoding: .utf8))
            let definitions = schema["$defs"] as? [String: Any]
            return (definitions?["email"] as? [String: Any])?["pattern"] as? String
        }
        let job = try #require(try emailPattern(SchemaCorpus.jobSchema))
        #expect(try emailPattern(SchemaCorpus.requestSchema) == job)
    }
}
