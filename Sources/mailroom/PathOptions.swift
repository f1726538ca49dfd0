import ArgumentParser
import MailroomCore

/// The layout flags every command takes (docs/operators-guide.md#layout-on-disk).
struct PathOptions: ParsableArguments {
    @Option(help: "Folder holding the registry, spool and log (env MAILROOM_HOME, default ./mailroom-data).")
    var home: String?

    @Option(help: "The integration registry file (default HOME/registry.json).")
    var registry: String?

    @Option(help: "The spool folder (default HOME/spool).")
    var spool: String?

    @Option(name: .customLong("log"), help: "The delivery log (default HOME/log/delivery.jsonl).")
    var deliveryLog: String?

    var layout: HomeLayout {
        HomeLayout(home: home, registry: registry, spool: spool, deliveryLog: deliveryLog)
    }
}
