import Foundation
import MailroomCore
import Testing

@Suite struct SendAtTests {
    static let limit = Int(MailLimits.maxSendAtAhead.components.seconds)
    static let now = Int(referenceNow.timeIntervalSince1970)

    @Test func sendAtUpToSeventyTwoHoursAheadIsKept() {
        var object = validJob()
        for seconds in [Self.now + Self.limit, Self.now + 1, Self.now, Self.now - 86_400, 0] {
            object["send_at"] = seconds
            #expect(expectAccepted(object)?.sendAt == seconds)
        }
    }

    @Test func sendAtOneSecondPastSeventyTwoHoursIsRefused() {
        var object = validJob()
        object["send_at"] = Self.now + Self.limit + 1
        expectRefused(object, field: "send_at")
    }

    @Test func theLimitMovesWithNow() {
        var object = validJob()
        object["send_at"] = Self.now + Self.limit + 10
        expectRefused(object, field: "send_at")
        let later = referenceNow.addingTimeInterval(10)
        #expect(expectAccepted(object, now: later)?.sendAt == Self.now + Self.limit + 10)
        // A fraction of a second into `now` does not stretch the window.
        expectRefused(object, field: "send_at", now: referenceNow.addingTimeInterval(9.9))
    }

    @Test func seventyTwoHoursIsTheDocumentedLimit() {
        #expect(Self.limit == 72 * 3600)
    }

    @Test func millisecondsFractionsStringsAndNegativesAreRefused() throws {
        var object = validJob()
        for bad: Any in [Self.now * 1000, 1_767_225_600.5, "1767225600", -1, true] {
            object["send_at"] = bad
            expectRefused(object, field: "send_at")
        }
        object["send_at"] = Self.now * 1000
        let error = try #require(expectRefused(object, field: "send_at"))
        #expect(error.message.contains("milliseconds"))
    }

    @Test func anExponentThatIsAWholeNumberIsAccepted() {
        let text = #"{"to": "ana@example.com", "subject": "Hi", "text": "Hello", "send_at": 1.7672256e9}"#
        #expect((try? JobParser.parse(Data(text.utf8), now: referenceNow))?.sendAt == 1_767_225_600)
    }
}
