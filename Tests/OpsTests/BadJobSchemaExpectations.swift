import Foundation
import TestSupport

/// What `fixtures/schemas/job.schema.json` must say about each file in `fixtures/bad-jobs/`.
///
/// Every bad job is refused by Mailroom, naming a field (`expected.json`). By default the schema must agree:
/// a file refused as a whole (`job`) is not JSON an application could even validate, and any other file is
/// invalid with an error about the same top-level field. The exceptions below are the rules a schema cannot
/// express, or where a JSON parser hides the problem from it; each says which verdict the schema gives and why.
/// docs/job-format.md lists the same rules as "checked by Mailroom only".
enum BadJobSchemaExpectations {
    struct Exception {
        /// The verdicts the schema may give (two only where it depends on the Python build, never on the schema).
        var outcomes: Set<SchemaOutcome>
        var reason: String
    }

    static let exceptions: [String: Exception] = [
        "duplicate-json-key.json": Exception(
            outcomes: [.valid], reason: "a JSON parser keeps one of the repeated keys, so the schema never sees the duplicate"),
        "duplicate-json-key-nested.json": Exception(
            outcomes: [.valid], reason: "a JSON parser keeps one of the repeated keys, so the schema never sees the duplicate"),
        "duplicate-header-case.json": Exception(
            outcomes: [.valid], reason: "header names repeat when compared without case; JSON Schema compares property names exactly"),
        "recipients-1001-across-lists.json": Exception(
            outcomes: [.valid],
            reason: "the 1000 limit counts distinct addresses across to, cc and bcc together; the schema can only bound each list"),
        "send-at-2100.json": Exception(outcomes: [.valid], reason: "72 hours ahead is relative to the time of enqueueing"),
        "send-at-milliseconds.json": Exception(outcomes: [.valid], reason: "72 hours ahead is relative to the time of enqueueing"),
        "custom-args-too-big.json": Exception(
            outcomes: [.valid], reason: "the limit is on custom_args' size as encoded JSON, which a schema cannot measure"),
        "lone-surrogate-escape.json": Exception(
            outcomes: [.valid], reason: "Python's json module accepts a lone \\ud800 escape; Mailroom's reader refuses it as not Unicode"),
        "number-out-of-range.json": Exception(
            outcomes: [.invalid(blaming: "send_at")],
            reason: "Python reads 1e400 as infinity, which the schema refuses as not an integer; Mailroom refuses the number itself"),
        "not-an-object-array.json": Exception(outcomes: [.invalid(blaming: "job")], reason: "it is JSON; the schema's type: object refuses it"),
        "not-an-object-null.json": Exception(outcomes: [.invalid(blaming: "job")], reason: "it is JSON; the schema's type: object refuses it"),
        "not-an-object-string.json": Exception(outcomes: [.invalid(blaming: "job")], reason: "it is JSON; the schema's type: object refuses it"),
        "deeply-nested-data.json": Exception(
            outcomes: [.unparseable, .valid],
            reason: "10,000 levels exceed Python's recursion limit; a parser that reads it finds no schema error (the depth limit is Mailroom's)"),
        "deeply-nested-objects.json": Exception(
            outcomes: [.unparseable, .invalid(blaming: "to")],
            reason: "5,000 levels exceed Python's recursion limit; a parser that reads it finds an object without to"),
    ]

    /// The verdicts the schema may give for `file`, whose Mailroom error names `field`.
    static func outcomes(file: String, field: String) -> Set<SchemaOutcome> {
        if let exception = exceptions[file] { return exception.outcomes }
        let top = topLevelField(field)
        return top == "job" ? [.unparseable] : [.invalid(blaming: top)]
    }

    /// `to` for `to[0].email`, `headers` for `headers["X Foo"]`, `job` for `job`.
    static func topLevelField(_ field: String) -> String {
        String(field.prefix { $0 != "." && $0 != "[" })
    }

    /// `file name -> field`, from `fixtures/bad-jobs/expected.json`.
    static func expectedFields() throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("bad-jobs/expected.json")))
        return try JSONSerialization.jsonObject(with: data) as? [String: String] ?? [:]
    }
}
