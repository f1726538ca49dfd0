import Foundation
import TestSupport
import Testing

@testable import SendGrid

/// Classification of answers that need no server: header formats and body shapes SendGrid,
/// a proxy or a gateway may produce. The client tests cover the same outcomes over loopback.
@Suite("Outcome classification")
struct OutcomeClassifierTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test(arguments: [200, 202, 204])
    func twoHundredsAreAcceptedWithTheMessageID(status: Int) {
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: status, messageID: "LrnZRsWQTPy-ItZ3IJR2vQ"), now: now, redacting: "")
        #expect(outcome == .accepted(status: status, messageID: "LrnZRsWQTPy-ItZ3IJR2vQ"))
    }

    @Test func everySendGridErrorIsKeptWithItsField() {
        let body =
            #"{"errors":[{"message":"The to array is required.","field":"personalizations.0.to","help":"http://x"},"#
            + #"{"message":"Invalid UTF8 in request.","field":null}]}"#
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 400, body: Array(body.utf8)), now: now, redacting: "")
        #expect(
            outcome
                == .rejected(
                    status: 400,
                    errors: [
                        SendGridErrorDetail(message: "The to array is required.", field: "personalizations.0.to"),
                        SendGridErrorDetail(message: "Invalid UTF8 in request.", field: nil),
                    ]))
    }

    @Test func aBareMessageBodyAndANonJSONBodyStillExplainTheRejection() {
        let bare = OutcomeClassifier.classify(
            HTTPAnswer(status: 400, body: Array(#"{"message":"Bad Request","field":null,"help":null}"#.utf8)), now: now, redacting: "")
        #expect(bare == .rejected(status: 400, errors: [SendGridErrorDetail(message: "Bad Request")]))

        guard
            case .rejected(413, let errors) = OutcomeClassifier.classify(
                HTTPAnswer(status: 413, body: Array("<html>\r\nToo Large</html>".utf8)), now: now, redacting: "")
        else {
            Issue.record("413 must be a rejection")
            return
        }
        #expect(errors.count == 1)
        #expect(errors[0].message.contains("Too Large"))
        #expect(!errors[0].message.contains("\n"))

        #expect(
            OutcomeClassifier.classify(HTTPAnswer(status: 404), now: now, redacting: "")
                == .rejected(status: 404, errors: [SendGridErrorDetail(message: "no error details in the response")]))
    }

    @Test(arguments: [401, 403])
    func credentialsRefusedCarrySendGridsMessage(status: Int) {
        let body = #"{"errors":[{"field":null,"message":"The provided authorization grant is invalid, expired, or revoked"}]}"#
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: status, body: Array(body.utf8)), now: now, redacting: "")
        #expect(outcome == .credentialsRefused(status: status, message: "The provided authorization grant is invalid, expired, or revoked"))
    }

    @Test func retryAfterInSecondsSetsTheResetTime() {
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 429, retryAfter: "17"), now: now, redacting: "")
        #expect(outcome == .rateLimited(until: now.addingTimeInterval(17), status: 429))
    }

    @Test func retryAfterAsAnHTTPDateSetsTheResetTime() {
        let later = now.addingTimeInterval(95)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 429, retryAfter: formatter.string(from: later)), now: now, redacting: "")
        #expect(outcome == .rateLimited(until: later, status: 429))
    }

    @Test func rateLimitResetEpochIsUsedWithoutRetryAfter() {
        let reset = Int(now.timeIntervalSince1970) + 42
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 429, rateLimitReset: String(reset)), now: now, redacting: "")
        #expect(outcome == .rateLimited(until: Date(timeIntervalSince1970: TimeInterval(reset)), status: 429))
    }

    @Test func retryAfterWinsOverRateLimitReset() {
        let reset = String(Int(now.timeIntervalSince1970) + 500)
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 429, retryAfter: "3", rateLimitReset: reset), now: now, redacting: "")
        #expect(outcome == .rateLimited(until: now.addingTimeInterval(3), status: 429))
    }

    @Test func aRateLimitWithoutUsableHeadersWaitsAMinute() {
        for answer in [HTTPAnswer(status: 429), HTTPAnswer(status: 429, retryAfter: "soon", rateLimitReset: "never")] {
            #expect(OutcomeClassifier.classify(answer, now: now, redacting: "") == .rateLimited(until: now.addingTimeInterval(60), status: 429))
        }
    }

    @Test func resetTimesAreClampedToBetweenNowAndOneDay() {
        let past = OutcomeClassifier.classify(HTTPAnswer(status: 429, rateLimitReset: "1700000000"), now: now, redacting: "")
        #expect(past == .rateLimited(until: now, status: 429))
        let far = OutcomeClassifier.classify(HTTPAnswer(status: 429, retryAfter: "99999999"), now: now, redacting: "")
        #expect(far == .rateLimited(until: now.addingTimeInterval(86_400), status: 429))
    }

    @Test(arguments: [500, 502, 503, 504, 408])
    func serverErrorsAreTransient(status: Int) {
        guard case .transient(let reported, let message) = OutcomeClassifier.classify(HTTPAnswer(status: status), now: now, redacting: "") else {
            Issue.record("\(status) must be transient")
            return
        }
        #expect(reported == status)
        #expect(!message.isEmpty && !message.contains("HTTP \(status)"), "the status is carried by the case, not repeated: \(message)")
    }

    @Test func aRedirectIsNeverFollowedAndIsTransient() {
        let outcome = OutcomeClassifier.classify(HTTPAnswer(status: 301, location: "https://elsewhere.example/"), now: now, redacting: "")
        guard case .transient(301, let message) = outcome else {
            Issue.record("a redirect must be transient, got \(outcome)")
            return
        }
        #expect(message.contains("elsewhere.example"))
    }

    @Test func theKeyIsRemovedFromAnythingTheServerEchoes() {
        let key = TestKeys.make()
        let echoed = #"{"errors":[{"message":"bad key \#(key)","field":"\#(key)"}]}"#
        let answers = [
            HTTPAnswer(status: 400, body: Array(echoed.utf8)), HTTPAnswer(status: 401, body: Array(echoed.utf8)),
            HTTPAnswer(status: 500, body: Array(("x" + key + String(repeating: "y", count: 400)).utf8)),
            HTTPAnswer(status: 302, location: "https://x.example/?k=\(key)"), HTTPAnswer(status: 202, messageID: key),
        ]
        for answer in answers {
            let outcome = OutcomeClassifier.classify(answer, now: now, redacting: key)
            SecretScanner.expectClean(outcome.description, context: "outcome of HTTP \(answer.status)")
            SecretScanner.expectClean(String(describing: outcome), context: "outcome of HTTP \(answer.status)")
        }
        // Cut after 200 characters of a non-JSON body, a key must not survive in part either.
        let cut = OutcomeClassifier.classify(
            HTTPAnswer(status: 500, body: Array((String(repeating: "z", count: 190) + key).utf8)), now: now, redacting: key)
        #expect(!cut.description.contains(key.prefix(8)))
    }
}
