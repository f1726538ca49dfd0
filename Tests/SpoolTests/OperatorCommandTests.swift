import Foundation
import TestSupport
import Testing

/// The ops commands on real spool state, their `--json` output parsed (issue 3, acceptance 5).
@Suite struct OperatorCommandTests {
    /// A spool with jobs in every state: 2 ready, 1 active (a live worker), 2 deferred, 2 held by a worker,
    /// 2 failed and 1 sent, all made by the binary itself.
    private func populatedSpool(function: String = #function) throws -> (SpoolFixture, BackgroundProcess) {
        let spool = SpoolFixture(function: function)
        func enqueue(_ id: String, recipients: Int = 1) throws {
            let result = try spool.mailroom(["enqueue", "--id", id], stdin: Data(validJob(id, recipients: recipients).utf8))
            #expect(result.status == 0, "\(result.stderr)")
        }
        func claim(_ arguments: [String]) throws {
            let result = try spool.mailroom(["debug-spool", "claim"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try enqueue("failed-1")
        try enqueue("failed-2")
        try claim(["--then", "fail"])
        try enqueue("deferred-1", recipients: 3)
        try enqueue("deferred-2")
        try claim(["--then", "defer", "--defer-seconds", "600"])
        try enqueue("held-1")
        try enqueue("held-2")
        try claim(["--then", "hold", "--integration", "105"])
        try enqueue("sent-1")
        try claim(["--then", "sent"])
        try enqueue("active-1")
        let holder = try BackgroundProcess.mailroom(spool.home.arguments(["debug-spool", "claim", "--hold-seconds", "120"]))
        #expect(holder.waitForOutput { $0.contains("holding") })
        try enqueue("ready-1", recipients: 2)
        try enqueue("ready-2")
        return (spool, holder)
    }

    @Test func listAndStatusReportEveryStateAsJSON() throws {
        let (spool, holder) = try populatedSpool()
        defer { holder.signal(SIGKILL) }
        let rows = jsonLines(try spool.mailroom(["list", "--json"]).stdout)
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["id"] as? String).map { ($0, row) } })
        let states = byID.mapValues { $0["state"] as? String ?? "?" }
        #expect(
            states == [
                "ready-1": "ready", "ready-2": "ready", "active-1": "active", "deferred-1": "deferred", "deferred-2": "deferred",
                "held-1": "held", "held-2": "held", "failed-1": "failed", "failed-2": "failed",
            ])
        for row in rows {
            for key in ["id", "state", "attempts", "queued_at", "age_seconds", "next_retry_at", "recipients", "last_error"] {
                #expect(row.keys.contains(key), "\(key) missing in \(row)")
            }
        }
        #expect(byID["ready-1"]?["recipients"] as? Int == 2)
        #expect(byID["deferred-1"]?["recipients"] as? Int == 3)
        #expect(byID["deferred-1"]?["attempts"] as? Int == 1)
        #expect(byID["deferred-1"]?["last_error"] as? String == "debug: HTTP 503")
        let due = (byID["deferred-1"]?["next_retry_at"] as? String).flatMap(Self.date)
        #expect(due.map { $0 > Date().addingTimeInterval(500) && $0 < Date().addingTimeInterval(700) } == true, "\(String(describing: due))")
        #expect(byID["held-1"]?["held_by"] as? String == "worker" && byID["held-1"]?["integration"] as? Int == 105)
        #expect(byID["failed-1"]?["last_error"] as? String == "debug failure" && byID["failed-1"]?["http_status"] as? Int == 400)
        #expect(byID["active-1"]?["worker"] is String)

        let sentRows = jsonLines(try spool.mailroom(["list", "--state", "sent", "--json"]).stdout)
        #expect(sentRows.map { $0["id"] as? String } == ["sent-1"])
        #expect(sentRows.first?["message_id"] as? String == "debug-sent-1")

        let table = try spool.mailroom(["list", "--state", "deferred"]).stdout
        #expect(table.hasPrefix("ID ") && table.contains("deferred-1") && table.contains("debug: HTTP 503"))
        #expect(table.contains("in 9m") || table.contains("in 10m0s"), "the next retry, 600 s from when it was deferred: \(table)")

        let status = jsonObject(try spool.mailroom(["status", "--json"]).stdout)
        let counts = status["counts"] as? [String: Int] ?? [:]
        #expect(counts == ["ready": 2, "active": 1, "deferred": 2, "held": 2, "failed": 2, "sent": 1])
        #expect(status["workers_alive"] as? Int == 1)
        #expect((status["oldest_ready_age_seconds"] as? Int).map { $0 >= 0 && $0 < 120 } == true)
        #expect((status["next_retry_at"] as? String).flatMap(Self.date).map { $0 > Date() } == true)
        let text = try spool.mailroom(["status"]).stdout
        #expect(text.contains("deferred") && text.contains("next retry") && text.contains("Workers alive: 1"))
    }

    @Test func retryMovesFailedAndDeferredJobsToReadyWithAFreshAttemptCount() throws {
        let (spool, holder) = try populatedSpool()
        defer { holder.signal(SIGKILL) }
        let original = spool.data("failed/failed-1.json")
        let result = try spool.mailroom(["retry", "failed-1", "deferred-1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let actions = jsonLines(result.stdout)
        #expect(actions.map { $0["id"] as? String } == ["failed-1", "deferred-1"])
        #expect(actions.map { $0["from"] as? String } == ["failed", "deferred"])
        #expect(actions.allSatisfy { $0["action"] as? String == "requeued" })
        #expect(spool.data("new/failed-1.json") == original, "the job's bytes are unchanged")
        #expect(spool.kind("failed/failed-1.reason.json") == nil)
        let shown = jsonObject(try spool.mailroom(["show", "deferred-1", "--json"]).stdout)
        #expect(shown["state"] as? String == "ready" && shown["attempts"] as? Int == 0 && shown["next_retry_at"] is NSNull)
        let history = shown["history"] as? [[String: Any]] ?? []
        #expect(history.last?["event"] as? String == "requeued")
        #expect(spool.logEvents().filter { $0["event"] as? String == "requeued" }.count == 2)

        // --failed takes the rest; retry of an active job is refused (exit 75), of a missing one exit 66.
        #expect(jsonLines(try spool.mailroom(["retry", "--failed", "--json"]).stdout).map { $0["id"] as? String } == ["failed-2"])
        #expect(spool.names("failed").isEmpty)
        #expect(try spool.mailroom(["retry", "active-1"]).status == 75)
        #expect(try spool.mailroom(["retry", "no-such-job"]).status == 66)
        #expect(try spool.mailroom(["retry"]).status == 64)
        // --held takes the worker-held jobs too.
        #expect(Set(jsonLines(try spool.mailroom(["retry", "--held", "--json"]).stdout).compactMap { $0["id"] as? String }) == ["held-1", "held-2"])
        #expect(spool.names("new").count == 7)
    }

    @Test func holdParksJobsAndReleaseTakesThemBack() throws {
        let (spool, holder) = try populatedSpool()
        defer { holder.signal(SIGKILL) }
        let held = try spool.mailroom(["hold", "ready-1", "deferred-2", "--json"])
        #expect(held.status == 0, "\(held.stderr)")
        #expect(jsonLines(held.stdout).map { $0["from"] as? String } == ["ready", "deferred"])
        #expect(spool.names("held") == ["deferred-2.json", "ready-1.json"])
        let shown = jsonObject(try spool.mailroom(["show", "deferred-2", "--json"]).stdout)
        #expect(shown["state"] as? String == "held" && shown["held_by"] as? String == "operator" && shown["attempts"] as? Int == 1)

        // A worker never claims a held job.
        let claim = try spool.mailroom(["debug-spool", "claim", "--then", "sent"])
        #expect(claim.stdout.contains("job ready-2") && !claim.stdout.contains("ready-1"))

        let released = try spool.mailroom(["release", "deferred-2", "held-1", "--json"])
        #expect(released.status == 0, "\(released.stderr)")
        #expect(jsonLines(released.stdout).map { $0["action"] as? String } == ["released", "released"])
        let after = jsonObject(try spool.mailroom(["show", "deferred-2", "--json"]).stdout)
        #expect(after["state"] as? String == "ready" && after["attempts"] as? Int == 1, "release keeps the attempt count")
        #expect(jsonObject(try spool.mailroom(["show", "held-1", "--json"]).stdout)["state"] as? String == "ready")

        let notHeld = try spool.mailroom(["release", "failed-1"])
        #expect(notHeld.status == 65 && notHeld.stderr.contains("failed-1 is failed"))
        #expect(try spool.mailroom(["hold", "active-1"]).status == 75)
        #expect(try spool.mailroom(["hold", "sent-1"]).status == 65)
    }

    @Test func deleteRemovesJobsForGoodAndBulkDeleteNeedsALL() throws {
        let (spool, holder) = try populatedSpool()
        defer { holder.signal(SIGKILL) }
        let deleted = try spool.mailroom(["delete", "ready-2", "held-2", "--json"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(jsonLines(deleted.stdout).map { $0["from"] as? String } == ["ready", "held"])
        #expect(try spool.mailroom(["show", "ready-2"]).status == 66)
        #expect(spool.logEvents().filter { $0["event"] as? String == "deleted" }.compactMap { $0["job"] as? String } == ["ready-2", "held-2"])

        for wrong in [["delete", "--failed", "all"], ["delete", "--failed", "yes"], ["delete"]] {
            let refused = try spool.mailroom(wrong)
            #expect(refused.status == 64, "\(wrong)")
        }
        #expect(spool.names("failed").count == 4)
        let bulk = try spool.mailroom(["delete", "--failed", "ALL", "--json"])
        #expect(Set(jsonLines(bulk.stdout).compactMap { $0["id"] as? String }) == ["failed-1", "failed-2"])
        #expect(spool.names("failed").isEmpty)
        #expect(try spool.mailroom(["delete", "active-1"]).status == 75)
        #expect(spool.activeNames().count == 1)
    }

    @Test func showPrintsStateAttemptsNextRetryAndHistory() throws {
        let (spool, holder) = try populatedSpool()
        defer { holder.signal(SIGKILL) }
        let failed = jsonObject(try spool.mailroom(["show", "failed-2", "--json"]).stdout)
        #expect(failed["state"] as? String == "failed" && failed["attempts"] as? Int == 1)
        #expect(failed["field"] as? String == "to" && failed["last_error"] as? String == "debug failure")
        #expect(failed["history"] is [Any])
        let sent = jsonObject(try spool.mailroom(["show", "sent-1", "--json"]).stdout)
        #expect(sent["state"] as? String == "sent" && sent["message_id"] as? String == "debug-sent-1" && sent["attempts"] as? Int == 1)
        let text = try spool.mailroom(["show", "deferred-1"]).stdout
        #expect(text.contains("deferred") && text.contains("next retry") && text.contains("debug: HTTP 503") && text.contains("recipients   3"))
        let missing = try spool.mailroom(["show", "nothing-here"])
        #expect(missing.status == 66 && missing.stderr.contains("no job nothing-here"))
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
