import Foundation
import MailroomCore
import Testing

/// A fixed reference time for tests that involve `send_at`: 2026-01-01T00:00:00Z.
let referenceNow = Date(timeIntervalSince1970: 1_767_225_600)

/// A valid job as a dictionary, to be changed by each test and serialised with `jobData`.
func validJob() -> [String: Any] {
    ["to": [["email": "ana@example.com", "name": "Ana"]], "subject": "Your booking is confirmed", "text": "See you soon."]
}

func jobData(_ object: [String: Any]) -> Data {
    (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
}

/// Parses `object`, recording a failure if it is refused.
func expectAccepted(_ object: [String: Any], now: Date = referenceNow, sourceLocation: SourceLocation = #_sourceLocation) -> Job? {
    do {
        return try JobParser.parse(jobData(object), now: now)
    } catch {
        Issue.record("refused: \(error.description)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Parses `data`, expecting it to be refused naming `field`; returns the error for further checks.
@discardableResult
func expectRefused(_ data: Data, field: String, now: Date = referenceNow, sourceLocation: SourceLocation = #_sourceLocation)
    -> JobValidationError?
{
    do {
        _ = try JobParser.parse(data, now: now)
        Issue.record("accepted, expected a refusal naming \(field)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.field == field, "\(error.description)", sourceLocation: sourceLocation)
        #expect(error.exitStatus == .dataError, sourceLocation: sourceLocation)
        expectOneLine(error, sourceLocation: sourceLocation)
        return error
    }
}

@discardableResult
func expectRefused(_ object: [String: Any], field: String, now: Date = referenceNow, sourceLocation: SourceLocation = #_sourceLocation)
    -> JobValidationError?
{
    expectRefused(jobData(object), field: field, now: now, sourceLocation: sourceLocation)
}
