import ArgumentParser
import Foundation
import Logging
import MailroomCore
import Metrics
import Observability
import Prometheus
import Registry
import SendGrid
import ServiceLifecycle
import Spool
import UnixSignals
import Worker

/// `mailroom run`: the delivery worker (docs/spool.md#running-the-worker).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Deliver ready jobs: as a daemon, one pass (--once), or until the spool is empty (--drain).")

    @OptionGroup var paths: PathOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var keys: KeyDirectoryOptions

    @Option(help: "stage or production (env MAILROOM_ENVIRONMENT, default stage).")
    var environment: String?

    @Flag(help: "One pass over what is ready and due, then exit.")
    var once = false

    @Flag(help: "Run until nothing is ready, active or deferred, then exit.")
    var drain = false

    @Option(help: "Sends in flight at once.")
    var concurrency = 16

    @Option(help: "SendGrid API base URL (env MAILROOM_API_URL, default https://api.sendgrid.com).")
    var apiURL: String?

    @Option(help: "PEM file of the CAs to trust for the API instead of the system's (env MAILROOM_CA_FILE).")
    var caFile: String?

    @Flag(help: "Allow an http:// --api-url to a host other than loopback (the key then crosses the network in clear text).")
    var allowInsecureHTTP = false

    @Option(help: "In stage, send with SendGrid sandbox mode: on or off.")
    var sandboxMode: SandboxModeSetting = .on

    @Option(help: "First retry delay ceiling (ms, s, m, h).") var retryBase = "30s"
    @Option(help: "Largest retry delay.") var retryMax = "1h"
    @Option(help: "Attempts before a transiently failing job fails.") var maxAttempts = 12
    @Option(help: "Age after which a transiently failing job fails.") var maxAge = "24h"
    @Option(help: "Time in-flight sends get to finish after SIGTERM.") var grace = "30s"
    @Option(help: "First wait before probing an unavailable endpoint (doubles after each failed probe, up to 5 min).")
    var probeInterval = "5s"
    @Option(help: "TCP connect timeout per request.") var connectTimeout = "10s"
    @Option(help: "Total timeout per request.") var timeout = "60s"

    @Option(help: "Serve Prometheus /metrics, /healthz and /readyz on HOST:PORT (e.g. 127.0.0.1:9090).")
    var metricsListen: String?

    func validate() throws {
        if once && drain { throw ValidationError("--once and --drain cannot be combined") }
        guard concurrency >= 1 && concurrency <= 1024 else { throw ValidationError("--concurrency must be between 1 and 1024") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        for (flag, value) in [
            ("--retry-base", retryBase), ("--retry-max", retryMax), ("--max-age", maxAge), ("--grace", grace),
            ("--connect-timeout", connectTimeout), ("--timeout", timeout), ("--probe-interval", probeInterval),
        ] where DurationParsing.parse(value) == nil {
            throw ValidationError("\(flag): \"\(value)\" is not a duration (use ms, s, m or h, e.g. 30s)")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "mailroom.run")
        // Memory holds resolved keys: no core file, no same-user ptrace or /proc/PID/environ reads.
        if let problem = CoreDumps.forbid() { logger.warning("cannot make the process non-dumpable", metadata: ["error": "\(problem)"]) }
        let metricsAddress = try metricsListen.map { try ListenAddress(parsing: $0, flag: "--metrics-listen") }
        let prometheus = PrometheusCollectorRegistry()
        if metricsAddress != nil {
            var factory = PrometheusMetricsFactory(registry: prometheus)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
                .seconds(60),
            ]
            MetricsSystem.bootstrap(factory)
        }
        let env = ProcessInfo.processInfo.environment
        let layout = paths.layout
        var options = WorkerOptions()
        options.environment = try DeliveryEnvironment.parse(environment ?? env["MAILROOM_ENVIRONMENT"] ?? "stage")
        options.mode = once ? .once : (drain ? .drain : .daemon)
        options.concurrency = concurrency
        options.sandboxMode = sandboxMode == .on
        options.grace = DurationParsing.parse(grace)!
        options.probeInterval = DurationParsing.parse(probeInterval)!
        options.countsJobs = metricsListen != nil
        options.retry = RetryPolicy(
            base: DurationParsing.parse(retryBase)!, maximum: DurationParsing.parse(retryMax)!, maxAttempts: maxAttempts,
            maxAge: DurationParsing.parse(maxAge)!)

        // The worker logs its own delivery events; from the spool it logs the claims of dead workers it puts back
        // (logged before each move, so a possible re-send is always visible) and the second copies it drops, and it
        // warns about entries it cannot move.
        let log = try DeliveryLogWriter(path: layout.deliveryLog)
        let spool = try Spool(
            root: layout.spool,
            events: SpoolEventLogging(log: log) { problem in
                switch problem {
                case .unmovable(let entry, let error):
                    logger.warning("cannot move an unsafe entry out of new/", metadata: ["entry": "\(entry)", "error": "\(error ?? "")"])
                case .cannotWrite(let job, let error):
                    logger.error("cannot write the delivery log", metadata: ["job": "\(job)", "error": "\(error)"])
                }
            })
        let registry = RegistryStore(path: layout.registry)
        var clientConfiguration = SendGridClientConfiguration()
        clientConfiguration.apiURL = apiURL ?? env["MAILROOM_API_URL"] ?? clientConfiguration.apiURL
        clientConfiguration.connectTimeout = DurationParsing.parse(connectTimeout)!
        clientConfiguration.totalTimeout = DurationParsing.parse(timeout)!
        clientConfiguration.maxConnections = concurrency
        clientConfiguration.caFile = caFile ?? env["MAILROOM_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        clientConfiguration.allowInsecureHTTP = allowInsecureHTTP
        let client = try SendGridClient(configuration: clientConfiguration)
        let worker = try DeliveryWorker(
            options: options, queue: SpoolQueue(spool: spool, log: log), health: HealthStore(spool: spool.root), registry: registry,
            sender: client, logger: logger, processEnvironment: keys.environment)

        // Shutdown runs in reverse order: the worker stops first (in-flight sends get --grace), then SIGHUP
        // handling, then the libcurl client, and /metrics last, so it stays up while the worker drains.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: client),
            .init(service: HangupReloads(worker: worker, logger: logger)),
            .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let metricsAddress {
            let metrics = MetricsServer.build(
                host: metricsAddress.host, port: metricsAddress.port, registry: prometheus,
                refresh: {
                    if let counts = worker.latestCounts { WorkerMetrics.recordSpool(counts) }
                    WorkerMetrics.recordPaused(worker.pausedIntegrations().count)
                    WorkerMetrics.recordUnavailable(worker.unavailableIntegrations().count)
                },
                readiness: {
                    let state = worker.readiness()
                    return MetricsServer.Readiness(ready: state.ready, reasons: state.reasons)
                },
                onListening: { port in logger.info("metrics listening", metadata: ["address": "\(metricsAddress.host):\(port)"]) })
            services.insert(.init(service: metrics), at: 0)
        }
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        // --grace is the worker's; past it and a margin for putting claims back, the group cancels what is left.
        configuration.maximumGracefulShutdownDuration = options.grace + .seconds(15)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// `--sandbox-mode on|off`.
enum SandboxModeSetting: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

extension DeliveryEnvironment {
    /// Parses `stage` or `production`, or fails with exit 64 naming the choices.
    static func parse(_ text: String) throws -> DeliveryEnvironment {
        guard let value = DeliveryEnvironment(rawValue: text) else {
            throw PlainFailure(.usage, "environment \"\(text)\" is not stage or production")
        }
        return value
    }
}
