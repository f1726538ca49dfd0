import Foundation
import TestSupport
import Testing

/// What a JSON Schema says about one file, as `schema_verdicts.py` reports it.
enum SchemaOutcome: Hashable, CustomStringConvertible {
    /// Valid against the schema.
    case valid
    /// Invalid, and the schema's errors are about this top-level field (`job` for the document as a whole).
    case invalid(blaming: String)
    /// Not a JSON text an application could validate (bad UTF-8, a byte order mark, a syntax error, NaN, too deep).
    case unparseable

    var description: String {
        switch self {
        case .valid: "valid"
        case .invalid(let field): "invalid (blaming \(field))"
        case .unparseable: "unparseable"
        }
    }
}

/// One line of `schema_verdicts.py`'s output.
struct SchemaVerdict: Sendable {
    var verdict: String
    var fields: [String]
    var messages: [String]

    /// Whether this verdict is `outcome`: `.invalid(blaming: f)` matches an invalid verdict whose errors touch `f`.
    func matches(_ outcome: SchemaOutcome) -> Bool {
        switch outcome {
        case .valid: verdict == "valid"
        case .unparseable: verdict == "unparseable"
        case .invalid(let field): verdict == "invalid" && fields.contains(field)
        }
    }

    var summary: String {
        verdict + (fields.isEmpty ? "" : " \(fields)") + (messages.isEmpty ? "" : ": " + messages.prefix(2).joined(separator: " | "))
    }
}

/// Runs `Tests/OpsTests/schema_verdicts.py` once for many (schema, files) groups.
enum SchemaValidator {
    struct Group {
        var schema: String
        /// A JSON pointer to a subschema (`/$defs/update`), or "".
        var pointer: String = ""
        var files: [String]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("schema_verdicts.py").path

    /// The verdict for every file of every group, keyed by group index then file path.
    static func run(_ groups: [Group]) throws -> [[String: SchemaVerdict]] {
        guard let python3 = HostTools.python3 else { throw Failure(description: "python3 is not installed") }
        let manifest: [String: Any] = [
            "groups": groups.map { ["schema": $0.schema, "pointer": $0.pointer, "files": $0.files] as [String: Any] }
        ]
        let input = try JSONSerialization.data(withJSONObject: manifest)
        let result = try ProcessRunner.run(python3, [script], stdin: input, timeout: .seconds(120))
        guard result.status == 0 else {
            throw Failure(description: "schema_verdicts.py exited \(result.status): \(result.stderr.suffix(2000))")
        }
        var verdicts = Array(repeating: [String: SchemaVerdict](), count: groups.count)
        for line in result.stdout.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let group = object["group"] as? Int, verdicts.indices.contains(group), let file = object["file"] as? String,
                let verdict = object["verdict"] as? String
            else { throw Failure(description: "unexpected line from schema_verdicts.py: \(line.prefix(300))") }
            verdicts[group][file] = SchemaVerdict(
                verdict: verdict, fields: object["fields"] as? [String] ?? [], messages: object["messages"] as? [String] ?? [])
        }
        for (index, group) in groups.enumerated() {
            let missing = group.files.filter { verdicts[index][$0] == nil }
            if !missing.isEmpty { throw Failure(description: "schema_verdicts.py gave no verdict for \(missing.prefix(5))") }
        }
        return verdicts
    }
}
