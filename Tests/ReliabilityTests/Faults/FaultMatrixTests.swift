import Foundation
import MailroomCore
import TestSupport
import Testing

/// The full fault matrix of issue 8: each answer SendGrid can give (or fail to give), at concurrency 1 and 32,
/// and every job ends in the state the table in docs/spool.md#outcomes gives it, with the right reason in the log and in `failed/`.
@Suite struct FaultMatrixTests {
    static let jobsAtOne = Soak.size(fast: 3, soak: 20)
    static let jobsAtThirtyTwo = Soak.size(fast: 40, soak: 400)

    @Test(arguments: FaultCase.all)
    func everyJobEndsWhereTheOutcomeTableSays(_ fault: FaultCase) throws {
        let first = try Rig()
        let second = Rig(sharing: first)
        defer {
            second.finish()
            first.finish()
        }
        for (rig, concurrency, jobs) in [(first, 1, Self.jobsAtOne), (second, 32, Self.jobsAtThirtyTwo)] {
            try first.sandbox.clearFaults()
            try first.sandbox.clear()
            try first.sandbox.resetStats()
            let key = TestKeys.make()
            try rig.addConfig(key: key)
            let ids = try rig.publishJobs(count: jobs, prefix: "c\(concurrency)")
            try first.sandbox.setFaults(fault.plan(jobs))

            let mode = fault.once ? "--once" : "--drain"
            let result = try rig.run([mode, "--concurrency", String(concurrency)] + fault.workerArguments, timeout: .seconds(90))
            try first.sandbox.clearFaults()
            #expect(result.status == 0, "\(fault.name) at \(concurrency): worker exited \(result.status): \(result.stderr.suffix(500))")

            let run = FaultRun(rig: rig, ids: ids, concurrency: concurrency, key: key, label: "\(fault.name) at concurrency \(concurrency)")
            try run.expectNothingLost()
            try run.expect(fault.verdict)
            FaultFigures.record(jobs: jobs)
        }
    }
}

/// One worker run under one fault, and the checks of each verdict.
struct FaultRun {
    let rig: Rig
    let ids: [String]
    let concurrency: Int
    let key: String
    let label: String

    /// Every job is in exactly one state; none is ready, active, or gone.
    func expectNothingLost() throws {
        let states = ["sent", "failed", "deferred", "paused"]
        var seen: [String: Int] = [:]
        for state in states {
            for name in rig.jobFiles(in: state) { seen[String(name.dropLast(5)), default: 0] += 1 }
        }
        let missing = ids.filter { seen[$0] == nil }
        let twice = seen.filter { $0.value > 1 }.keys.sorted()
        #expect(missing.isEmpty, "\(label): jobs in no final state: \(missing.prefix(5))")
        #expect(twice.isEmpty, "\(label): jobs in two states: \(twice.prefix(5))")
        #expect(rig.jobFiles(in: "new").isEmpty && rig.jobFiles(in: "active").isEmpty, "\(label): jobs left ready or active")
        #expect(rig.events().allSatisfy { $0["unparsable"] == nil }, "\(label): a delivery-log line does not parse")
    }

    func expect(_ verdict: FaultCase.Verdict) throws {
        switch verdict {
        case .failedAtOnce(let status, let message):
            #expect(rig.jobFiles(in: "failed").count == ids.count, "\(label): not every job failed")
            let originals = try GoodJobs.all
            for (index, id) in ids.enumerated() {
                #expect(rig.events("deferred", job: id).isEmpty, "\(label): \(id) was retried")
                let failed = rig.events("failed", job: id)
                #expect(failed.count == 1 && failed.first?["attempt"] as? Int == 1, "\(label): \(id) failed \(failed)")
                #expect(failed.first?["http_status"] as? Int == status)
                #expect((failed.first?["error"] as? String)?.contains(message) == true, "\(label): \(failed)")
                expectReason(id, attempts: 1, status: status, contains: message)
                let kept = FileManager.default.contents(atPath: rig.spool + "/failed/\(id).json")
                #expect(kept == originals[index % originals.count], "\(label): \(id) is not kept byte for byte in failed/")
            }
            #expect(try rig.sandbox.messages().isEmpty)

        case .heldForOutage(let status, let message):
            #expect(rig.jobFiles(in: "failed").isEmpty, "\(label): an outage failed jobs: \(rig.jobFiles(in: "failed").prefix(3))")
            #expect(rig.jobFiles(in: "paused").count == ids.count, "\(label): not every job is held for the outage")
            for id in ids {
                let deferred = rig.events("deferred", job: id)
                #expect(deferred.count <= 1, "\(label): \(id) spent \(deferred.count) attempts in an outage")
                #expect(deferred.allSatisfy { $0["http_status"] as? Int == status }, "\(label): \(deferred)")
                #expect(deferred.allSatisfy { ($0["error"] as? String)?.contains(message) == true }, "\(label): \(deferred)")
                let held = rig.events("held", job: id)
                #expect(held.last.flatMap { $0["error"] as? String }?.contains("unavailable") == true, "\(label): \(id) held \(held)")
            }
            let requests = (try rig.sandbox.stats()["total"] as? Int) ?? 0
            #expect(requests <= concurrency + 3, "\(label): \(requests) requests went to an unavailable endpoint")
            let status = try rig.mailroom(["status", "--json"]).stdout
            #expect(status.contains("\"unavailable\""), "\(label): status does not report the outage")

        case .sentAfterTransportFailures(let message, let counter, let faults):
            try expectAllSentAfterDeferrals(faults, exactly: false) { event in
                event["http_status"] == nil && (event["error"] as? String)?.contains(message) == true
            }
            let faulted = try rig.sandbox.stats()[counter] as? Int
            #expect(faulted == faults, "\(label): the sandbox counts \(faulted ?? 0) \(counter) requests, not \(faults)")

        case .sentAfterServerErrors(let status, let faults):
            try expectAllSentAfterDeferrals(faults, exactly: true) { event in event["http_status"] as? Int == status }

        case .sentAfterRateLimit(let atLeast):
            try expectAllSent()
            let deferred = rig.events("deferred")
            let limited = deferred.filter { $0["http_status"] as? Int == 429 }
            #expect(limited.count == 1, "\(label): one job met the 429: \(deferred)")
            #expect(deferred.allSatisfy { $0["attempt"] as? Int == 0 }, "\(label): a rate limit spent an attempt: \(deferred)")
            #expect(rig.events("sent").allSatisfy { $0["attempt"] as? Int == 1 }, "\(label): a rate limit spent an attempt")
            if let job = limited.first?["job"] as? String, let limitedAt = date(limited.first),
                let sentAt = date(rig.events("sent", job: job).first)
            {
                #expect(sentAt.timeIntervalSince(limitedAt) >= atLeast, "\(label): \(job) was sent again before the reset")
            }
            let requests = try rig.sandbox.stats()["requests"] as? [String: Int] ?? [:]
            #expect(requests["429"] == 1, "\(label): requests went on during the rate limit: \(requests)")

        case .deferredForFallbackReset:
            let deferred = rig.jobFiles(in: "deferred").map { String($0.dropLast(5)) }
            #expect(!deferred.isEmpty && rig.jobFiles(in: "failed").isEmpty, "\(label)")
            #expect(deferred.count + rig.jobFiles(in: "sent").count == ids.count)
            let events = rig.events("deferred")
            #expect(events.filter { $0["http_status"] as? Int == 429 }.count == 1, "\(label): \(events)")
            #expect(events.allSatisfy { $0["attempt"] as? Int == 0 }, "\(label): a rate limit spent an attempt")
            let listing = try rig.mailroom(["list", "--state", "deferred", "--json"])
            let now = Date()
            for line in listing.stdout.split(separator: "\n") {
                let entry = try Fixtures.object(String(line))
                let next = (entry["next_retry_at"] as? String).flatMap(Timestamps.parse)
                let wait = next.map { $0.timeIntervalSince(now) } ?? 0
                #expect(wait > 45 && wait <= 61, "\(label): \(entry["id"] ?? "?") waits \(wait) s, not the one-minute fallback")
            }

        case .heldKeyRefused(let status):
            #expect(rig.jobFiles(in: "paused").count == ids.count, "\(label): not every job is held")
            let held = rig.events("held")
            #expect(Set(held.compactMap { $0["job"] as? String }) == Set(ids))
            #expect(held.contains { $0["http_status"] as? Int == status }, "\(label): \(held.prefix(2))")
            #expect(held.allSatisfy { ($0["error"] as? String)?.contains("refused") == true }, "\(label): \(held.prefix(2))")
            let byKey = try rig.sandbox.stats()["requests_by_key"] as? [String: Int] ?? [:]
            let requests = byKey[Fingerprint.of(key)] ?? 0
            #expect(requests >= 1 && requests <= concurrency, "\(label): \(requests) requests with a refused key")
            #expect(try rig.counts()["held"] == ids.count)
            let status = try rig.mailroom(["status", "--json"]).stdout
            #expect(status.contains("key_refused"), "\(label): status does not report the paused integration")
        }
    }

    private func expectAllSent() throws {
        #expect(rig.jobFiles(in: "sent").count == ids.count, "\(label): not every job was sent")
        let accepted = Set(try rig.acceptedJobIDs())
        #expect(Set(ids).isSubset(of: accepted), "\(label): the sandbox did not get every job")
        for id in ids { #expect(rig.events("sent", job: id).count == 1, "\(label): \(id) logged as sent \(rig.events("sent", job: id).count) times") }
    }

    /// Every job sent; one deferral per faulted request (`faults` of them; at least, unless `exactly`); each matches.
    private func expectAllSentAfterDeferrals(_ faults: Int, exactly: Bool, _ matches: ([String: Any]) -> Bool) throws {
        try expectAllSent()
        let deferred = rig.events("deferred")
        let counted = exactly ? deferred.count == faults : deferred.count >= faults
        #expect(counted, "\(label): \(deferred.count) deferrals for \(faults) faulted requests")
        let mismatched = deferred.filter { !matches($0) }
        #expect(mismatched.isEmpty, "\(label): \(mismatched.first ?? [:])")
        for id in ids {
            let attempts = rig.events("deferred", job: id).count
            #expect(rig.events("sent", job: id).first?["attempt"] as? Int == attempts + 1, "\(label): \(id) sent at the wrong attempt")
        }
    }

    private func expectReason(_ id: String, attempts: Int, status: Int?, contains text: String) {
        guard let reason = rig.reason(id) else {
            Issue.record("\(label): no failed/\(id).reason.json")
            return
        }
        #expect(reason["attempts"] as? Int == attempts, "\(label): \(reason)")
        #expect(reason["http_status"] as? Int == status, "\(label): \(reason)")
        #expect((reason["reason"] as? String)?.contains(text) == true, "\(label): reason \(reason["reason"] ?? "") lacks \(text)")
    }

    private func date(_ event: [String: Any]?) -> Date? {
        (event?["ts"] as? String).flatMap(Timestamps.parse)
    }
}

/// Totals for the soak report.
enum FaultFigures {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var runs = 0
    nonisolated(unsafe) private static var jobs = 0

    static func record(jobs count: Int) {
        let totals: (runs: Int, jobs: Int) = lock.withLock {
            runs += 1
            jobs += count
            return (runs, jobs)
        }
        Soak.report("faults", ["cases": FaultCase.all.count, "concurrencies": [1, 32], "runs": totals.runs, "jobs": totals.jobs])
    }
}
