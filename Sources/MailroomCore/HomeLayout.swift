import Foundation

/// Where everything lives (docs/operators-guide.md#layout-on-disk): `--home` (env `MAILROOM_HOME`, default `./mailroom-data`)
/// holds the registry, the spool and the delivery log, and each can be moved on its own.
public struct HomeLayout: Sendable, Hashable {
    public var home: String
    public var registry: String
    public var spool: String
    public var deliveryLog: String

    public init(
        home: String? = nil, registry: String? = nil, spool: String? = nil, deliveryLog: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let home = home ?? environment["MAILROOM_HOME"] ?? "./mailroom-data"
        self.home = home
        self.registry = registry ?? home + "/registry.json"
        self.spool = spool ?? home + "/spool"
        self.deliveryLog = deliveryLog ?? home + "/log/delivery.jsonl"
    }
}
