/// The JSON form of a fault plan, as `POST /faults` takes it and `GET /faults` shows it.
extension FaultPlan {
    static let fieldNames: Set<String> = [
        "statuses", "failure_rate", "failure_status", "latency_ms", "retry_after_seconds", "ratelimit_reset_in_seconds",
        "drop_next", "stall_next", "stall_seconds", "not_json_next", "key_fingerprint",
    ]

    /// Reads a plan from a JSON object; fields left out keep their defaults. Unknown fields are an
    /// error, so a typo cannot silently leave a test unfaulted.
    init(json tree: JSONTree) throws(SandboxFailure) {
        self.init()
        guard let members = tree.members else { throw SandboxFailure.usage("the fault plan must be a JSON object") }
        for member in members {
            let (key, value) = (member.key, member.value)
            guard Self.fieldNames.contains(key) else { throw SandboxFailure.usage("unknown fault field \(key)") }
            if value.isNull {
                if key == "retry_after_seconds" || key == "ratelimit_reset_in_seconds" || key == "key_fingerprint" { continue }
                throw SandboxFailure.usage("\(key) cannot be null")
            }
            switch key {
            case "statuses":
                guard let items = value.array, items.allSatisfy({ $0.integer != nil }) else {
                    throw SandboxFailure.usage("statuses must be an array of integers")
                }
                statuses = items.compactMap(\.integer)
            case "failure_rate": failureRate = try Self.number(value, key)
            case "stall_seconds": stallSeconds = try Self.number(value, key)
            case "failure_status": failureStatus = try Self.integer(value, key)
            case "latency_ms": latencyMilliseconds = try Self.integer(value, key)
            case "retry_after_seconds": retryAfterSeconds = try Self.integer(value, key)
            case "ratelimit_reset_in_seconds": rateLimitResetInSeconds = try Self.integer(value, key)
            case "drop_next": dropNext = try Self.integer(value, key)
            case "stall_next": stallNext = try Self.integer(value, key)
            case "not_json_next": notJSONNext = try Self.integer(value, key)
            default:
                guard let text = value.string else { throw SandboxFailure.usage("key_fingerprint must be a string") }
                keyFingerprint = text
            }
        }
        if let problem { throw SandboxFailure.usage(problem) }
    }

    var json: String {
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        return "{\"statuses\":[" + statuses.map(String.init).joined(separator: ",") + "]"
            + ",\"failure_rate\":\(failureRate),\"failure_status\":\(failureStatus),\"latency_ms\":\(latencyMilliseconds)"
            + ",\"retry_after_seconds\":\(optional(retryAfterSeconds)),\"ratelimit_reset_in_seconds\":\(optional(rateLimitResetInSeconds))"
            + ",\"drop_next\":\(dropNext),\"stall_next\":\(stallNext),\"stall_seconds\":\(stallSeconds),\"not_json_next\":\(notJSONNext)"
            + ",\"key_fingerprint\":\(JSONText.quotedOrNull(keyFingerprint))}"
    }

    private static func integer(_ value: JSONTree, _ key: String) throws(SandboxFailure) -> Int {
        guard let number = value.integer else { throw SandboxFailure.usage("\(key) must be an integer") }
        return number
    }

    private static func number(_ value: JSONTree, _ key: String) throws(SandboxFailure) -> Double {
        guard let number = value.double else { throw SandboxFailure.usage("\(key) must be a number") }
        return number
    }
}
