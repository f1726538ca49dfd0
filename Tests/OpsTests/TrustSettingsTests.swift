import Foundation
import TestSupport
import Testing

/// `--ca-file` against a real TLS endpoint on 127.0.0.1 with a certificate made for the test: without it the
/// certificate error is spelled out and the job is deferred (a connection-level outcome, no HTTP status);
/// with it pointing at that certificate the job is sent.
@Suite struct TrustSettingsTests {
    /// A TLS server answering every POST with 202, the way Mail Send accepts a message.
    static let server = #"""
        import http.server, ssl, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(202)
                self.send_header("X-Message-Id", "tls-test-message")
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print("listening", server.server_address[1], flush=True)
        server.serve_forever()
        """#

    @Test func aSelfSignedEndpointIsACertificateErrorUntilCAFileTrustsIt() throws {
        guard let openssl = HostTools.find("openssl"), let python3 = HostTools.python3 else {
            Issue.record("openssl and python3 are needed (make deps installs them)")
            return
        }
        let folder = TemporaryHome()
        let certificate = folder.path + "/cert.pem"
        let made = try ProcessRunner.run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.path + "/key.pem", "-out", certificate, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let script = try folder.write("server.py", Self.server)
        let server = try BackgroundProcess(python3, [script, certificate, folder.path + "/key.pem"])
        defer { server.signal(SIGTERM) }
        #expect(server.waitForOutput { $0.contains("listening") && $0.hasSuffix("\n") }, "\(server.stderr)")
        let port = try #require(server.stdout.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })

        let home = TemporaryHome()
        let request = #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(TestKeys.make())", "from_email": "o@example.com"}}"#
        try home.mailroom(["integrations", "add", "-"], stdin: Data(request.utf8))
        let job = try Fixtures.text("jobs/password-reset.json")
        let url = "https://127.0.0.1:\(port)"

        try home.mailroom(["enqueue", "-", "--id", "untrusted-1"], stdin: Data(job.utf8))
        let untrusted = try MailroomBinary.run(home.arguments(["run", "--once", "--api-url", url]))
        #expect(untrusted.status == 0, "\(untrusted.stderr)")
        let deferred = home.deliveryEvents().first { $0["job"] as? String == "untrusted-1" }
        #expect(deferred?["event"] as? String == "deferred", "\(String(describing: deferred))")
        #expect(deferred?["http_status"] == nil, "a certificate error has no HTTP status")
        let message = deferred?["error"] as? String ?? ""
        #expect(message.hasPrefix("TLS certificate verification failed for 127.0.0.1: "), "\(message)")
        #expect(message.contains("self-signed certificate; set --ca-file if this endpoint uses its own CA"), "\(message)")

        try home.mailroom(["enqueue", "-", "--id", "trusted-1"], stdin: Data(job.utf8))
        let trusted = try MailroomBinary.run(
            home.arguments(["run", "--once", "--api-url", url]), environment: ["MAILROOM_CA_FILE": certificate])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        let sent = home.deliveryEvents().first { $0["job"] as? String == "trusted-1" }
        #expect(sent?["event"] as? String == "sent", "\(String(describing: sent))")
        #expect(sent?["message_id"] as? String == "tls-test-message", "\(String(describing: sent))")

        try home.mailroom(["enqueue", "-", "--id", "flag-1"], stdin: Data(job.utf8))
        try home.mailroom(["run", "--once", "--api-url", url, "--ca-file", certificate])
        #expect(home.deliveryEvents().contains { $0["job"] as? String == "flag-1" && $0["event"] as? String == "sent" })
        SecretScanner.expectCleanFiles(under: home.path + "/log")
    }

    @Test func plainHTTPToANetworkHostIsRefusedBeforeAnyKeyIsSent() throws {
        let home = TemporaryHome()
        let refused = try MailroomBinary.run(home.arguments(["run", "--once", "--api-url", "http://192.0.2.1:8080"]))
        #expect(refused.status == 78, "\(refused.output)")
        #expect(refused.stderr.contains("http:// to 192.0.2.1 would send the API key over the network in clear text"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-insecure-http"))
        let allowed = try MailroomBinary.run(home.arguments(["run", "--once", "--api-url", "http://192.0.2.1:8080", "--allow-insecure-http"]))
        #expect(allowed.status == 0, "\(allowed.output)")
    }
}
