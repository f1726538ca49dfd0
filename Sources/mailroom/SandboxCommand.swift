import ArgumentParser
import Foundation
import Logging
import MailroomCore
import Sandbox

/// `mailroom sandbox`: a local SendGrid v3 Mail Send emulator for tests, the demo and rehearsals (docs/sandbox.md).
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local SendGrid v3 Mail Send emulator.",
        discussion: """
            Prints "mailroom sandbox listening on HOST:PORT" once the socket is bound, then serves until SIGTERM or SIGINT.
            The inbox page is at / (open http://HOST:PORT/ in a browser).
            Admin API: GET/DELETE /messages (paged: limit, before), GET/DELETE /messages/{id}, GET/DELETE /stats, GET/POST/DELETE /faults.
            SendGrid API: POST /v3/mail/send (gzip bodies too), POST /v3/mail/batch, GET /v3/mail/batch/{id}, /v3/user/scheduled_sends.
            With --token (or MAILROOM_SANDBOX_TOKEN), the page and the admin API need it: Authorization: Bearer TOKEN.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String

    @Option(help: "Folder to keep one JSON file per accepted message in.")
    var store: String?

    @Option(name: .customLong("key"), help: "Accept only this API key (repeatable; default: any key starting SG.).")
    var keys: [String] = []

    @Option(help: "File of accepted API keys, one per line (# comments allowed).")
    var keysFile: String?

    @Option(name: .customLong("verified-sender"), help: "Verified sender address or @domain (repeatable); other senders get 403.")
    var verifiedSenders: [String] = []

    @Option(help: "Answer the next requests with these statuses, comma-separated (200/202 = process normally).")
    var faultStatus: String?

    @Option(help: "Fraction of requests (0-1) answered with --failure-status.")
    var faultRate: Double = 0

    @Option(help: "Status for --fault-rate failures.")
    var failureStatus: Int = 503

    @Option(help: "Delay added to every request (e.g. 5ms).")
    var latency: String?

    @Option(help: "Retry-After seconds sent with 429 answers.")
    var retryAfter: Int?

    @Option(help: "X-RateLimit-Reset sent with 429 answers: now plus this many seconds.")
    var ratelimitResetIn: Int?

    @Option(help: "Close the connection without an answer for the next N requests.")
    var dropConnection: Int = 0

    @Option(help: "Stall the next N requests for --stall-seconds before answering.")
    var stall: Int = 0

    @Option(help: "How long a stalled request waits (e.g. 30s).")
    var stallSeconds: String = "30s"

    @Option(help: "Answer the next N requests with a 500 HTML page instead of JSON.")
    var notJSON: Int = 0

    @Option(help: "Apply faults only to requests whose key has this fingerprint (sha256:...).")
    var faultKey: String?

    @Option(help: "Accepted messages kept in memory (oldest dropped first).")
    var maxMessages: Int = 200_000

    @Option(help: "Bytes of accepted messages kept (oldest dropped first); suffixes K, M, G (powers of 1024).")
    var maxBytes: String = "256M"

    @Option(help: "Protect the inbox page and /messages, /faults, /stats with this token (default: MAILROOM_SANDBOX_TOKEN).")
    var token: String?

    @Option(help: "Operational log level on stderr (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "warning"

    func run() async throws {
        let configuration = try sandboxConfiguration()
        guard let level = Logger.Level(rawValue: logLevel) else { throw SandboxFailure.usage("--log-level \(logLevel) is not a log level") }
        if configuration.token == nil, !SandboxExposure.isLoopback(configuration.host) {
            Output.warning(SandboxExposure.warning(host: configuration.host))
        }
        let server = try SandboxServer(configuration: configuration)
        try await server.run(logger: SandboxServer.logger(level: level)) { host, port in
            Output.line("mailroom sandbox listening on \(host):\(port)")
        }
    }

    private func sandboxConfiguration() throws -> SandboxConfiguration {
        let (host, port) = try Self.parseListen(listen)
        var faults = FaultPlan()
        if let faultStatus {
            let parts = faultStatus.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let statuses = parts.compactMap { Int($0) }
            guard statuses.count == parts.count else {
                throw SandboxFailure.usage("--fault-status \(faultStatus): expected statuses like 500,500,202")
            }
            faults.statuses = statuses
        }
        faults.failureRate = faultRate
        faults.failureStatus = failureStatus
        if let latency {
            guard let duration = DurationParsing.parse(latency) else { throw SandboxFailure.usage("--latency \(latency) is not a duration") }
            faults.latencyMilliseconds = Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        faults.retryAfterSeconds = retryAfter
        faults.rateLimitResetInSeconds = ratelimitResetIn
        faults.dropNext = dropConnection
        faults.stallNext = stall
        guard let stallDuration = DurationParsing.parse(stallSeconds) else {
            throw SandboxFailure.usage("--stall-seconds \(stallSeconds) is not a duration")
        }
        faults.stallSeconds = stallDuration.seconds
        faults.notJSONNext = notJSON
        faults.keyFingerprint = faultKey
        if let problem = faults.problem { throw SandboxFailure.usage("fault flags: \(problem)") }
        guard maxMessages > 0 else { throw SandboxFailure.usage("--max-messages must be positive") }
        guard let bytes = SandboxExposure.parseBytes(maxBytes), bytes > 0 else {
            throw SandboxFailure.usage("--max-bytes \(maxBytes): expected a positive size such as 256M, 64K or 1073741824")
        }
        return SandboxConfiguration(
            host: host, port: port, storeFolder: store, keys: try acceptedKeys(), verifiedSenders: verifiedSenders, faults: faults,
            maximumStoredMessages: maxMessages, maximumStoredBytes: bytes, token: try sandboxToken())
    }

    /// `--token`, else `MAILROOM_SANDBOX_TOKEN`; printable ASCII a cookie can carry, at least 8 characters.
    private func sandboxToken() throws -> SandboxToken? {
        let text = token ?? ProcessInfo.processInfo.environment["MAILROOM_SANDBOX_TOKEN"]
        guard let text, !text.isEmpty else { return nil }
        let source = token == nil ? "MAILROOM_SANDBOX_TOKEN" : "--token"
        guard text.utf8.count >= 8, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !";,\"\\".utf8.contains($0) }) else {
            throw SandboxFailure.usage(
                "\(source): use at least 8 printable ASCII characters, without spaces, quotes, commas, semicolons or backslashes")
        }
        return SandboxToken(text)
    }

    private func acceptedKeys() throws -> [APIKey] {
        var accepted = keys.map(APIKey.init)
        if let keysFile {
            guard let data = FileManager.default.contents(atPath: keysFile) else { throw SandboxFailure.keysFile(keysFile) }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let key = line.trimmingCharacters(in: .whitespaces)
                if key.isEmpty || key.hasPrefix("#") { continue }
                accepted.append(APIKey(key))
            }
        }
        return accepted
    }

    /// `HOST:PORT` (or `[v6]:PORT`) into its parts.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw SandboxFailure.usage("--listen \(text): expected HOST:PORT, e.g. 127.0.0.1:0")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw SandboxFailure.usage("--listen \(text): the host is missing") }
        return (host, port)
    }
}
