import Testing

@testable import SendGrid

@Suite("Client configuration")
struct SendGridClientConfigurationTests {
    @Test func theDefaultsAreSendGridsHostTenAndSixtySecondsAndSixteenConnections() {
        let configuration = SendGridClientConfiguration()
        #expect(configuration.mailSendURL == "https://api.sendgrid.com/v3/mail/send")
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.totalTimeout == .seconds(60))
        #expect(configuration.maxConnections == 16)
    }

    @Test func theMailSendPathIsAppendedOnceWhateverTheTrailingSlashes() {
        #expect(SendGridClientConfiguration(apiURL: "http://127.0.0.1:8080/").mailSendURL == "http://127.0.0.1:8080/v3/mail/send")
        #expect(SendGridClientConfiguration(apiURL: "https://proxy.example/sg//").mailSendURL == "https://proxy.example/sg/v3/mail/send")
    }

    @Test func timeoutsRoundUpToWholeMillisecondsSoNoneBecomesUnlimited() {
        #expect(Duration.seconds(10).curlMilliseconds == 10_000)
        #expect(Duration.milliseconds(700).curlMilliseconds == 700)
        #expect(Duration.microseconds(1).curlMilliseconds == 1)
        #expect(Duration.microseconds(1500).curlMilliseconds == 2)
    }
}
