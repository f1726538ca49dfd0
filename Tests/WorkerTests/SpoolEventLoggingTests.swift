import Foundation
import Spool
import Synchronization
import TestSupport
import Testing
import Worker

/// The spool's own events reach the delivery log through one mapping, for the worker and the operator commands
/// alike: `requeued`, `deleted` and `duplicate` become lines; `unmovable` is reported, never logged.
@Suite struct SpoolEventLoggingTests {
    @Test func everyDeliveryEventOfTheSpoolBecomesALineAndUnmovableDoesNot() {
        let mapped = [SpoolEvent.Name.requeued, .deleted, .duplicate, .unmovable].map {
            SpoolEventLogging.deliveryEvent(for: SpoolEvent(job: "job-1", name: $0, error: "why"))?.event
        }
        #expect(mapped == [.requeued, .deleted, .duplicate, nil])
        #expect(SpoolEventLogging.deliveryEvent(for: SpoolEvent(job: "job-1", name: .deleted, error: "why"))?.error == "why")
    }

    @Test func theLogIsCreatedAtTheFirstDeliveryEventOnly() throws {
        let home = TemporaryHome()
        let problems = Mutex<[String]>([])
        let sink = SpoolEventLogging(path: home.deliveryLog) { problem in
            if case .unmovable(let entry, _) = problem { problems.withLock { $0.append(entry) } }
        }
        sink.record(SpoolEvent(job: "odd-entry", name: .unmovable, error: "a mount point"))
        #expect(!FileManager.default.fileExists(atPath: home.deliveryLog))
        #expect(problems.withLock { $0 } == ["odd-entry"])
        sink.record(SpoolEvent(job: "job-1", name: .deleted, error: "deleted by an operator (was ready)"))
        let line = try #require(home.read("log/delivery.jsonl"))
        #expect(line.contains(#""event":"deleted""#) && line.contains(#""job":"job-1""#) && line.hasSuffix("}\n"))
    }

    @Test func theWorkersOpenLogGetsTheSameLines() throws {
        let home = TemporaryHome()
        let sink = SpoolEventLogging(log: try DeliveryLogWriter(path: home.deliveryLog)) { _ in }
        sink.record(SpoolEvent(job: "job-2", name: .requeued, error: "from a dead worker's claim"))
        sink.record(SpoolEvent(job: "job-3", name: .deleted))
        let events = (home.read("log/delivery.jsonl") ?? "").split(separator: "\n")
        #expect(events.count == 2 && events[1].contains(#""event":"deleted""#))
    }
}
