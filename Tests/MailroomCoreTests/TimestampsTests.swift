import Foundation
import MailroomCore
import Testing

/// `Timestamps.format` writes by arithmetic what `Date.ISO8601FormatStyle` writes, and `parse` reads it back.
@Suite struct TimestampsTests {
    static let reference = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    @Test(arguments: [
        0, -0.0004, 0.9996, -1.5, 951_782_400, 951_868_799.999, 1_709_164_800.5, 4_107_542_400, 253_402_300_799.9,
        -62_135_596_800, Date.distantPast.timeIntervalSince1970, Date.distantFuture.timeIntervalSince1970,
    ])
    func edgesMatchTheFormatStyle(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamps.format(date) == date.formatted(Self.reference))
    }

    @Test func tenThousandRandomTimesMatchTheFormatStyle() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for _ in 0..<10_000 {
            // 1900 to 2200, with sub-millisecond parts.
            let date = Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &generator))
            let ours = Timestamps.format(date)
            let theirs = date.formatted(Self.reference)
            if ours != theirs { mismatches.append("\(date.timeIntervalSince1970): \(ours) vs \(theirs)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func parseReadsBackWhatFormatWrote() throws {
        let date = Date(timeIntervalSince1970: 1_773_348_953.111)
        let text = Timestamps.format(date)
        #expect(text == "2026-03-12T20:55:53.111Z")
        let parsed = try #require(Timestamps.parse(text))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.001)
        #expect(Timestamps.parse("2026-03-12T20:55:53Z") != nil)
        #expect(Timestamps.parse("yesterday") == nil)
    }
}
