import Foundation
import Glibc
import TestSupport
import Testing

/// Claims across processes (issue 3, acceptance 2 and 3): each ready job goes to exactly one worker; a killed
/// worker's claims come back; a live worker's claims are never taken.
@Suite struct ClaimTests {
    @Test func fourProcessesClaimingTenThousandJobsClaimEachExactlyOnce() throws {
        let spool = SpoolFixture()
        let total = 10_000
        let body = validJob("claim")
        for index in 0..<total { try spool.publish(String(format: "job-%05d", index), body) }

        let claimers = try (0..<4).map { _ in
            try BackgroundProcess.mailroom(spool.home.arguments(["debug-spool", "claim", "--batch", "32"]))
        }
        var claimedBy: [[String]] = []
        for claimer in claimers {
            let status = claimer.wait(timeout: .seconds(90))
            #expect(status == 0, "\(claimer.stderr)")
            SecretScanner.expectClean(claimer.stdout + claimer.stderr, context: "debug-spool claim")
            claimedBy.append(claimer.stdout.split(separator: "\n").filter { $0.hasPrefix("job ") }.map { String($0.dropFirst(4)) })
        }

        let all = claimedBy.flatMap { $0 }
        #expect(all.count == total, "claimed \(all.count) in all")
        #expect(Set(all).count == all.count, "some job was claimed twice")
        #expect(Set(all) == Set((0..<total).map { String(format: "job-%05d", $0) }))
        #expect(claimedBy.filter { !$0.isEmpty }.count >= 2, "the claims were not concurrent: \(claimedBy.map(\.count))")
        #expect(spool.names("new").isEmpty)
        // Each claim sits in exactly one worker's folder, unchanged.
        let active = spool.activeNames()
        #expect(active.count == total)
        #expect(Set(active.map { $0.split(separator: "/")[1] }).count == total)
        if let first = active.first { #expect(spool.data("active/" + first) == Data(body.utf8)) }
    }

    @Test func claimsOfAKilledWorkerAreRecoveredAndALiveWorkersClaimsAreNot() throws {
        let spool = SpoolFixture()
        for index in 0..<120 { try spool.publish("job-\(index)", validJob("\(index)")) }

        // A live worker holds 30 claims; another, killed with SIGKILL, held 50.
        let live = try BackgroundProcess.mailroom(spool.home.arguments(["debug-spool", "claim", "--limit", "30", "--hold-seconds", "120"]))
        #expect(live.waitForOutput { $0.contains("holding") })
        let doomed = try BackgroundProcess.mailroom(spool.home.arguments(["debug-spool", "claim", "--limit", "50", "--hold-seconds", "120"]))
        #expect(doomed.waitForOutput { $0.contains("holding") })
        let liveClaims = Set(live.stdout.split(separator: "\n").filter { $0.hasPrefix("job ") }.map { String($0.dropFirst(4)) })
        let doomedClaims = Set(doomed.stdout.split(separator: "\n").filter { $0.hasPrefix("job ") }.map { String($0.dropFirst(4)) })
        #expect(liveClaims.count == 30 && doomedClaims.count == 50 && liveClaims.isDisjoint(with: doomedClaims))
        let liveWorker = try #require(Self.worker(in: live.stdout))
        let doomedWorker = try #require(Self.worker(in: doomed.stdout))
        #expect(spool.names("new").count == 40)

        let alive = jsonObject(try spool.mailroom(["status", "--json"]).stdout)
        #expect(alive["workers_alive"] as? Int == 2)

        doomed.signal(SIGKILL)
        #expect(doomed.wait(timeout: .seconds(10)) != nil)
        #expect(spool.names("active/" + doomedWorker).count == 50, "a dead worker's claims stay put until recovery")
        #expect(jsonObject(try spool.mailroom(["status", "--json"]).stdout)["workers_alive"] as? Int == 1)

        // A new worker recovers (and takes nothing else: --limit 0).
        let recovery = try spool.mailroom(["debug-spool", "claim", "--recover", "--limit", "0"])
        #expect(recovery.status == 0, "\(recovery.stderr)")
        let recovered = Set(recovery.stdout.split(separator: "\n").filter { $0.hasPrefix("recovered ") }.map { String($0.dropFirst(10)) })
        #expect(recovered == doomedClaims)
        #expect(spool.kind("active/" + doomedWorker) == nil, "the dead worker's folder is removed")
        #expect(Set(spool.names("active/" + liveWorker)) == Set(liveClaims.map { $0 + ".json" }), "the live worker's claims are untouched")
        #expect(spool.names("new").count == 90)
        for id in doomedClaims { #expect(spool.data("new/\(id).json") == Data(validJob(String(id.dropFirst(4))).utf8)) }

        // Every recovered job is sendable again: the next worker claims all 90 and sends them.
        let next = try spool.mailroom(["debug-spool", "claim", "--then", "sent"])
        let sent = Set(next.stdout.split(separator: "\n").filter { $0.hasPrefix("job ") }.map { String($0.dropFirst(4)) })
        #expect(sent.count == 90 && sent.isSuperset(of: doomedClaims) && sent.isDisjoint(with: liveClaims))
        #expect(!next.stdout.contains("duplicate"))

        live.signal(SIGKILL)
        live.wait(timeout: .seconds(10))
    }

    @Test func jobPublishedTwiceWhileTheFirstCopyIsClaimedIsDroppedAsDuplicate() throws {
        let spool = SpoolFixture()
        try spool.publish("twice", validJob("first"))
        let holder = try BackgroundProcess.mailroom(spool.home.arguments(["debug-spool", "claim", "--hold-seconds", "120"]))
        #expect(holder.waitForOutput { $0.contains("holding") })
        try spool.publish("twice", validJob("second copy"))
        let other = try spool.mailroom(["debug-spool", "claim", "--then", "sent"])
        #expect(other.stdout.contains("duplicate twice"), "\(other.stdout)")
        #expect(spool.names("new").isEmpty && spool.names("sent").isEmpty)
        #expect(spool.activeNames().count == 1, "only the first copy is still claimed")
        holder.signal(SIGKILL)
        holder.wait(timeout: .seconds(10))
    }

    private static func worker(in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("claimed ") }.flatMap { $0.split(separator: " ").last.map(String.init) }
    }
}
