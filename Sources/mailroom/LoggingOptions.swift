import ArgumentParser
import Logging
import Observability

/// `--log-level` and `--log-format`: the operational log on stderr (docs/operators-guide.md#running-the-worker).
struct LoggingOptions: ParsableArguments {
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "text or json.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// Sets up swift-log once for the process and returns a logger with `label`.
    func bootstrap(label: String) -> Logger {
        let level = logLevel
        let format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: TextLogHandler(label: label, level: level)
            case .json: JSONLogHandler(label: label, level: level)
            }
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
