import MailroomCore
import Testing

@Suite struct DurationParsingTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("1.5m", .seconds(90)), ("24h", .seconds(86_400)),
        ("1h", .seconds(3600)), ("45", .seconds(45)), ("0.5", .milliseconds(500)), (" 30s ", .seconds(30)), ("0s", .zero),
        ("1d", .seconds(86_400)), ("1.25s", .milliseconds(1250)),
    ])
    func unitsScaleTheNumber(text: String, expected: Duration) {
        #expect(DurationParsing.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "ms", "-5s", "30 s", "30sec", "5x", "1h30m", "nan", "infs", "NaNs", "--1s", "1e400s"])
    func malformedDurationsAreRefused(text: String) {
        #expect(DurationParsing.parse(text) == nil)
    }

    @Test(arguments: ["1e30h", "99999999999999999999s", "1e19ms"])
    func durationsTooLongToRepresentAreRefusedNotACrash(text: String) {
        #expect(DurationParsing.parse(text) == nil)
    }

    @Test func secondsReadsFractions() {
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.seconds(3600).seconds == 3600)
    }
}
