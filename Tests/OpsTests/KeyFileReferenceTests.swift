import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `file:` key references against the real binary: a bad key file (a FIFO, a device, a 1 GiB file, a missing
/// file) holds only its own integration's jobs with an error that shows no content, while the worker keeps
/// sending for the others; and references outside the allowed folders are refused by `integrations add`,
/// `integrations update`, the admin API and the worker itself.
@Suite struct KeyFileReferenceTests {
    enum BadKeyFile: String, CaseIterable, Sendable {
        case fifo, device, huge, missing
    }

    /// Makes the bad key file in `folder` and returns its path and the words the error must contain.
    func make(_ kind: BadKeyFile, in folder: TemporaryHome, planting secret: String) throws -> (path: String, words: String) {
        switch kind {
        case .fifo:
            #expect(mkfifo(folder.path + "/key.fifo", 0o600) == 0)
            return (folder.path + "/key.fifo", "is a FIFO, not a regular file")
        case .device:
            return ("/dev/zero", "is a character device, not a regular file")
        case .huge:
            // A key at the start of a sparse 1 GiB file: reading it at all would be the bug.
            let path = try folder.write("huge.key", secret + "\n")
            let fd = open(path, O_WRONLY)
            #expect(ftruncate(fd, 1 << 30) == 0)
            close(fd)
            return (path, "holds at least 1073741824 bytes")
        case .missing:
            return (folder.path + "/absent.key", "No such file or directory")
        }
    }

    func job(integration: Int) throws -> Data {
        var object = try Fixtures.object(try Fixtures.text("jobs/password-reset.json"))
        object["integration"] = integration
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test(arguments: BadKeyFile.allCases)
    func aBadKeyFileHoldsOnlyItsOwnJobsAndTheWorkerKeepsSending(_ kind: BadKeyFile) throws {
        let home = TemporaryHome()
        let keys = TemporaryHome()
        let good = TestKeys.make()
        let planted = TestKeys.make()
        let sandbox = try SandboxProcess(["--key", good])
        defer { sandbox.stop() }
        let (path, words) = try make(kind, in: keys, planting: planted)
        let allow = ["--key-dir", keys.path, "--key-dir", "/dev"]
        for key in [good, "file:" + path] {
            let request = #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(key)", "from_email": "ops@example.com"}}"#
            try home.mailroom(["integrations", "add", "-"] + allow, stdin: Data(request.utf8))
        }
        try home.mailroom(["enqueue", "-", "--id", "good-1"], stdin: try job(integration: 1))
        try home.mailroom(["enqueue", "-", "--id", "bad-1"], stdin: try job(integration: 2))

        // Bounded by the runner's timeout: the old reader blocked on the FIFO and read /dev/zero forever.
        let run = try MailroomBinary.run(
            home.arguments(["run", "--drain", "--api-url", sandbox.baseURL] + allow), timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stderr.suffix(1000))")
        let events = home.deliveryEvents()
        #expect(events.contains { $0["job"] as? String == "good-1" && $0["event"] as? String == "sent" }, "\(events)")
        let held = events.first { $0["job"] as? String == "bad-1" }
        #expect(held?["event"] as? String == "held", "\(events)")
        let reason = held?["error"] as? String ?? ""
        #expect(reason.contains("key reference file:\(path) does not resolve") && reason.contains(words), "\(reason)")
        #expect(try sandbox.messages().count == 1)
        SecretScanner.expectCleanFiles(under: home.path + "/log")
    }

    @Test func integrationsAddAndUpdateRefuseAReferenceOutsideTheAllowedFolders() throws {
        let home = TemporaryHome()
        let keys = TemporaryHome()
        // The defaults (home folder, /run/secrets, /etc/mailroom) hold neither /var/tmp nor the test's folder.
        let defaults = ["MAILROOM_KEY_DIRS": ""]
        let outside = #"{"integration": 4, "data": {"environment": "stage", "api_key": "file:/var/tmp/x.key", "from_email": "o@example.com"}}"#
        let refused = try MailroomBinary.run(home.arguments(["integrations", "add", "-"]), stdin: Data(outside.utf8), environment: defaults)
        #expect(refused.status == 65, "\(refused.output)")
        #expect(
            refused.stderr.contains("data.api_key: /var/tmp/x.key is outside the folders allowed for key files")
                && refused.stderr.contains("/run/secrets, /etc/mailroom"), "\(refused.stderr)")
        #expect(home.read("registry.json") == nil, "nothing was stored")

        let inside = #"{"integration": 4, "data": {"environment": "stage", "api_key": "file:\#(keys.path)/k", "from_email": "o@example.com"}}"#
        try home.mailroom(["integrations", "add", "-", "--key-dir", keys.path], stdin: Data(inside.utf8))
        let escape = #"{"data": {"changeKeys": true, "api_key": "file:\#(keys.path)/../etc/passwd"}}"#
        let update = try MailroomBinary.run(
            home.arguments(["integrations", "update", "1", "-", "--key-dir", keys.path]), stdin: Data(escape.utf8), environment: defaults)
        #expect(update.status == 65, "\(update.output)")
        #expect(update.stderr.contains("is outside the folders allowed for key files (\(keys.path))"), "\(update.stderr)")
    }

    @Test func theAdminAPIRefusesAReferenceOutsideTheAllowedFolders() throws {
        let home = TemporaryHome()
        let keys = TemporaryHome()
        let token = "admin-\(UUID().uuidString)"
        let server = try BackgroundProcess.mailroom(
            home.arguments(["serve", "--listen", "127.0.0.1:0", "--key-dir", keys.path]), environment: ["MAILROOM_ADMIN_TOKEN": token])
        defer {
            server.signal(SIGTERM)
            server.wait(timeout: .seconds(20))
        }
        #expect(server.waitForOutput { $0.contains("listening on") && $0.hasSuffix("\n") })
        let line = try #require(server.stdout.split(separator: "\n").first { $0.contains("listening on") })
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0) })
        func post(_ key: String) throws -> (Int, String) {
            try adminCall(
                port: port, token: token, "POST", "/integrations",
                #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(key)", "from_email": "o@example.com"}}"#)
        }
        let (status, body) = try post("file:/etc/passwd")
        #expect(status == 422, "\(body)")
        #expect(body.contains("/etc/passwd is outside the folders allowed for key files (\(keys.path))"), "\(body)")
        #expect(try post("file:\(keys.path)/sendgrid.key").0 == 201)
        let (patched, answer) = try adminCall(
            port: port, token: token, "PATCH", "/integrations/1", #"{"data": {"changeKeys": true, "api_key": "file:/proc/self/environ"}}"#)
        #expect(patched == 422, "\(answer)")
    }

    @Test func theWorkerRefusesAKeyFileWhoseLinkNowLeadsOutOfTheAllowedFolders() throws {
        let home = TemporaryHome()
        let keys = TemporaryHome()
        let outside = TemporaryHome()
        let key = TestKeys.make()
        let sandbox = try SandboxProcess(["--key", key])
        defer { sandbox.stop() }
        try keys.write("real.key", key)
        let secret = try outside.write("other.key", key)
        #expect(symlink(keys.path + "/real.key", keys.path + "/sendgrid.key") == 0)
        let request =
            #"{"integration": 4, "data": {"environment": "stage", "api_key": "file:\#(keys.path)/sendgrid.key", "from_email": "o@example.com"}}"#
        try home.mailroom(["integrations", "add", "-", "--key-dir", keys.path], stdin: Data(request.utf8))
        // Swapped after the config was accepted: only the worker's own check can catch it.
        #expect(unlink(keys.path + "/sendgrid.key") == 0 && symlink(secret, keys.path + "/sendgrid.key") == 0)
        try home.mailroom(["enqueue", "-", "--id", "swapped-1"], stdin: try job(integration: 1))
        let run = try MailroomBinary.run(home.arguments(["run", "--drain", "--api-url", sandbox.baseURL, "--key-dir", keys.path]))
        #expect(run.status == 0, "\(run.stderr.suffix(1000))")
        let held = home.deliveryEvents().first { $0["job"] as? String == "swapped-1" }
        #expect(held?["event"] as? String == "held")
        #expect(
            (held?["error"] as? String)?.contains("(it leads to \(secret)) is outside the folders allowed for key files") == true,
            "\(String(describing: held))")
        #expect(try sandbox.messages().isEmpty, "the key outside the allowed folders was used")
    }
}

/// One admin API call with the bearer token; returns the status and the body.
func adminCall(port: Int, token: String, _ method: String, _ path: String, _ body: String) throws -> (Int, String) {
    var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)" + path)), timeoutInterval: 20)
    request.httpMethod = method
    request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(body.utf8)
    let answer = AdminAnswer()
    let done = DispatchSemaphore(value: 0)
    URLSession.shared.dataTask(with: request) { data, response, _ in
        answer.set((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
        done.signal()
    }.resume()
    done.wait()
    SecretScanner.expectClean(answer.body, context: "admin API \(method) \(path)")
    return (answer.status, answer.body)
}

/// The answer of an admin call, filled on URLSession's thread.
final class AdminAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (Int, String) = (0, "")
    func set(_ status: Int, _ body: String) { lock.withLock { stored = (status, body) } }
    var status: Int { lock.withLock { stored.0 } }
    var body: String { lock.withLock { stored.1 } }
}
