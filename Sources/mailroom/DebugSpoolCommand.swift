import ArgumentParser
import Foundation
import Glibc
import MailroomCore
import Spool

/// `mailroom debug-spool …` (hidden): drives the spool directly, for the spool's tests and its benchmark.
struct DebugSpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-spool", abstract: "Spool test and benchmark tools.", shouldDisplay: false,
        subcommands: [DebugClaimCommand.self, DebugSeedCommand.self, DebugClaimBenchCommand.self])
}

/// Claims jobs the way a worker does and moves them as told, printing one line per entry:
/// `job ID`, `unsafe NAME: REASON` or `duplicate ID`; then `claimed N`.
struct DebugClaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claim", abstract: "Claim jobs like a worker.")

    enum Then: String, ExpressibleByArgument {
        case keep, sent, fail, `defer`, hold, requeue
    }

    @OptionGroup var paths: PathOptions
    @Option(help: "Claim at most this many entries (default: all).") var limit = Int.max
    @Option(help: "Entries per claimBatch call.") var batch = 64
    @Flag(help: "Recover dead workers' claims first (prints `recovered ID`).") var recover = false
    @Option(help: "What to do with each safe job: keep, sent, fail, defer, hold, requeue.") var then: Then = .keep
    @Option(help: "With --then defer: seconds until due.") var deferSeconds = 3600.0
    @Option(help: "With --then hold: the integration.") var integration = 0
    @Option(help: "After claiming, print `holding` and sleep this long (seconds) with the claims kept.") var holdSeconds = 0.0

    func run() async throws {
        let spool = try SpoolAccess.open(paths)
        if recover {
            for id in try spool.recoverOrphanedClaims() { Output.line("recovered \(id)") }
        }
        var claimed = 0
        while claimed < limit {
            let entries = try spool.claimBatch(limit: min(batch, limit - claimed))
            if entries.isEmpty { break }
            claimed += entries.count
            for entry in entries { try handle(entry, spool) }
        }
        Output.line("claimed \(claimed) worker \(spool.workerID ?? "-")")
        if holdSeconds > 0 {
            Output.line("holding")
            try await Task.sleep(for: .milliseconds(Int64(holdSeconds * 1000)))
        }
        spool.retire()
    }

    private func handle(_ entry: ClaimedEntry, _ spool: Spool) throws {
        switch entry {
        case .unsafe(let claim, let reason):
            Output.line("unsafe \(claim.id): \(reason)")
            try spool.fail(claim, reason: FailureReason(reason: reason, attempts: claim.attempts))
        case .duplicate(let claim):
            Output.line("duplicate \(claim.id)")
            try spool.dropDuplicate(claim)
        case .job(let claim):
            Output.line("job \(claim.id)")
            switch then {
            case .keep: break
            case .sent: try spool.markSent(claim, messageID: "debug-\(claim.id)")
            case .fail:
                try spool.fail(claim, reason: FailureReason(reason: "debug failure", field: "to", attempts: claim.attempts + 1, httpStatus: 400))
            case .defer:
                try spool.deferJob(claim, until: Date().addingTimeInterval(deferSeconds), attempts: claim.attempts + 1, lastError: "debug: HTTP 503")
            case .hold: try spool.hold(claim, integration: integration, reason: "debug: integration \(integration) paused")
            case .requeue: try spool.requeue(claim)
            }
        }
    }
}

/// Writes COUNT small valid jobs straight into `new/` (tmp/ then rename, no fsync), as a fast app would.
struct DebugSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Fill new/ with small jobs, fast.")

    @OptionGroup var paths: PathOptions
    @Option(help: "How many jobs.") var count = 1000
    @Option(help: "ID prefix.") var prefix = "bench"

    func run() async throws {
        let spool = try Spool(root: paths.layout.spool)
        let started = ContinuousClock.now
        for index in 0..<count {
            let id = "\(prefix)-\(index)"
            let body = "{\"to\": \"user\(index)@example.com\", \"subject\": \"Job \(index)\", \"text\": \"Hello from the benchmark.\"}\n"
            let temporary = spool.root + "/tmp/" + id + ".json"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw PlainFailure(.ioError, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
            _ = body.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            guard rename(temporary, spool.readyFolder + "/" + id + ".json") == 0 else { throw PlainFailure(.ioError, "cannot publish \(id)") }
        }
        let seconds = (ContinuousClock.now - started).seconds
        Output.line("seeded \(count) jobs in \(String(format: "%.1f", seconds)) s")
    }
}

/// Claims everything in `new/` in batches and reports throughput and peak RSS as one JSON line.
struct DebugClaimBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claim-bench", abstract: "Claim every ready job; report jobs/s and peak RSS.")

    @OptionGroup var paths: PathOptions
    @Option(help: "Entries per claimBatch call.") var batch = 256
    @Flag(help: "Also mark each job sent (one more fsync per batch's worth of group commits).") var markSent = false

    func run() async throws {
        let spool = try Spool(root: paths.layout.spool)
        let started = ContinuousClock.now
        var claimed = 0
        var unexpected = 0
        while true {
            let entries = try spool.claimBatch(limit: batch)
            if entries.isEmpty { break }
            claimed += entries.count
            for entry in entries {
                guard case .job(let claim) = entry else {
                    unexpected += 1
                    continue
                }
                if markSent { try spool.markSent(claim, messageID: nil) }
            }
        }
        let seconds = (ContinuousClock.now - started).seconds
        let rate = seconds > 0 ? Double(claimed) / seconds : 0
        Output.line(
            "{\"claimed\":\(claimed),\"not_jobs\":\(unexpected),\"batch\":\(batch),\"mark_sent\":\(markSent),\"seconds\":\(String(format: "%.2f", seconds)),"
                + "\"jobs_per_second\":\(Int(rate)),\"peak_rss_kib\":\(Self.peakRSS())}")
    }

    /// VmHWM from /proc/self/status: the peak resident set size, in KiB.
    static func peakRSS() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}
