import ArgumentParser
import MailroomCore
import Spool

/// What `retry`, `hold`, `release` and `delete` share: one action per job ID, and one result line per job.
enum OperatorActions {
    /// Runs `body` for each ID and prints each result (a line, or a JSON line with `--json`). A failure is
    /// printed on stderr and the rest still run; the exit status is the first failure's.
    static func run(on ids: [String], json: Bool, _ body: (String) throws -> OperatorResult) throws {
        var firstFailure: Int32?
        for id in ids {
            do {
                print(try body(id), json: json)
            } catch let failure as any MailroomFailure {
                Output.note(failure.description)
                firstFailure = firstFailure ?? failure.exitStatus.rawValue
            }
        }
        if let firstFailure { throw ExitCode(firstFailure) }
    }

    /// `requeued job-1 (was failed)`, or `{"id":"job-1","action":"requeued","from":"failed"}`.
    static func print(_ result: OperatorResult, json: Bool) {
        if json {
            let object: JSONValue = .object([
                "id": .string(result.id), "action": .string(result.action.rawValue), "from": .string(result.from.rawValue),
            ])
            Output.line(object.rendered(pretty: false))
        } else {
            Output.line("\(result.action.rawValue) \(result.id) (was \(result.from.rawValue))")
        }
    }
}
