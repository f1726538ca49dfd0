import Foundation
import Testing

@testable import SendGrid

/// The Bearer key crosses a network only inside verified TLS: `http://` is for loopback endpoints (the
/// sandbox, a local relay) unless the operator says otherwise, and a transfer whose set-up fails frees
/// its curl handle and buffers exactly once.
@Suite struct TransportSecurityTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])
    func loopbackHostsAreRecognised(_ host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: ["192.0.2.1", "10.0.0.1", "api.sendgrid.com", "127.0.0.1.example.com", "localhost.example.com", "::2", "128.0.0.1"])
    func otherHostsAreNotLoopback(_ host: String) {
        #expect(!LoopbackHost.contains(host))
    }

    @Test func plainHTTPToANetworkHostIsRefusedUnlessAllowed() throws {
        let error = #expect(throws: SendGridClientError.self) {
            try SendGridClient(configuration: SendGridClientConfiguration(apiURL: "http://192.0.2.1:8080"))
        }
        #expect(error?.field == "api_url")
        #expect(error?.message.contains("clear text") == true && error?.message.contains("--allow-insecure-http") == true)
        let allowed = try SendGridClient(configuration: SendGridClientConfiguration(apiURL: "http://192.0.2.1:8080", allowInsecureHTTP: true))
        withExtendedLifetime(allowed) {}
        let local = try SendGridClient(configuration: SendGridClientConfiguration(apiURL: "http://[::1]:8080"))
        withExtendedLifetime(local) {}
    }

    @Test func anUnreadableCAFileIsAConfigurationError() {
        let error = #expect(throws: SendGridClientError.self) {
            try SendGridClient(configuration: SendGridClientConfiguration(caFile: "/nonexistent/ca.pem"))
        }
        #expect(error?.field == "ca_file")
        #expect(error?.message.contains("/nonexistent/ca.pem") == true)
    }

    /// curl refuses strings longer than 8 MB (CURL_MAX_INPUT_LENGTH), so a longer URL makes a `setopt`
    /// fail after the handle and the error buffer exist. Freeing them in the initializer and again in
    /// `deinit` (which runs when a fully initialised object's initializer throws) was a double free
    /// that crashed this process.
    @Test func aFailingSetoptFreesTheHandleOnce() {
        let url = "https://127.0.0.1/" + String(repeating: "a", count: 8_100_000)
        for _ in 0..<3 {
            let error = #expect(throws: SendGridClientError.self) { _ = try EasyTransfer(url: url, configuration: SendGridClientConfiguration()) }
            #expect(error?.message.contains("cannot configure a transfer") == true)
        }
    }

    @Test func aCertificateFailureSaysSoAndIsAConnectionLevelTransientOutcome() {
        let outcome = OutcomeClassifier.transportFailure(code: 60, text: "SSL certificate problem: self-signed certificate", host: "api.sendgrid.com")
        #expect(
            outcome
                == .transient(
                    status: nil,
                    message: "TLS certificate verification failed for api.sendgrid.com: SSL certificate problem: self-signed certificate; "
                        + "set --ca-file if this endpoint uses its own CA"))
    }
}
