import Foundation
import TestSupport
import Testing

/// The secrets scan proves itself: a scan that cannot find a planted key, or that reads nothing,
/// would let every other test pass while keys leak.
@Suite struct SecretScannerSelfTests {
    @Test func aKeyPlantedInAnOutputIsReported() {
        let key = TestKeys.make()
        #expect(SecretScanner.leaks(in: "worker started\nAuthorization: Bearer \(key)\n") == [key])
    }

    @Test func eachSegmentOfTheKeyIsReportedOnItsOwn() {
        let key = TestKeys.make()
        let segments = key.split(separator: ".").map(String.init)
        #expect(segments.count == 3)
        #expect(SecretScanner.leaks(in: "id=\(segments[1]) ok") == [key], "the first segment alone")
        #expect(SecretScanner.leaks(in: "token=\(segments[2]) ok") == [key], "the second segment alone")
        #expect(SecretScanner.leaks(in: "\(segments[2])\n…\n\(segments[1])") == [key], "split and reordered")
    }

    @Test func aKeyCutShortAnywhereIsStillReported() {
        let key = Array(TestKeys.make())
        for start in stride(from: 0, through: key.count - SecretScanner.windowLength, by: 5) {
            let piece = String(key[start..<(start + SecretScanner.windowLength)])
            #expect(SecretScanner.leaks(in: "…\(piece)…") == [String(key)], "24 characters from offset \(start)")
        }
    }

    @Test func textWithoutAKeyIsClean() {
        let key = TestKeys.make()
        let other = "SG.\(String(repeating: "x", count: 22)).\(String(repeating: "y", count: 43))"
        #expect(SecretScanner.leaks(in: "no secrets here; \(other); \(key.prefix(10))").isEmpty)
    }

    @Test func expectCleanRecordsAFailureForAPlantedKey() {
        let key = TestKeys.make()
        withKnownIssue("the planted key must be reported") {
            SecretScanner.expectClean("delivered with \(key.dropFirst(3).prefix(30))", context: "self-test")
        }
    }

    @Test func aScanOfAFolderThatHoldsNothingFails() throws {
        let empty = TemporaryHome()
        withKnownIssue("a scan that read no bytes must fail") {
            SecretScanner.expectCleanFiles(under: empty.path)
        }
        withKnownIssue("a scan of a missing folder must fail") {
            SecretScanner.expectCleanFiles(under: empty.path + "/missing")
        }
        try empty.write("log/delivery.jsonl", "{\"event\":\"sent\"}\n")
        #expect(SecretScanner.expectCleanFiles(under: empty.path) == 17)
    }
}
