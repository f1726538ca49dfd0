import Foundation
import Glibc
import MailroomCore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One scan over every byte a full round of Mailroom produces — every command's stdout and stderr at debug
/// level, the delivery log, every spool file, the sandbox's message store, the admin API's answers and access
/// log — finds no key. A literal key lives in the registry file and nowhere else; an `env:` or `file:` key
/// is not even there. (Every other reliability test ends with the same scan over what it produced.)
@Suite struct SecretsTests {
    @Test func noKeyAppearsInAnyByteMailroomProduces() throws {
        let rig = try Rig(sandboxArguments: ["--log-level", "trace"], keepStore: true)
        defer { rig.finish(registryMayHoldKey: true) }
        let keyFolder = TemporaryHome()
        let literal = TestKeys.make()
        let fromEnvironment = TestKeys.make()
        let fromFile = TestKeys.make()
        let refused = TestKeys.make()
        let variable = "MAILROOM_RELIABILITY_KEY_\(getpid())"
        let keyFile = try keyFolder.write("sendgrid.key", fromFile + "\n")
        let environment = [variable: fromEnvironment]

        let literalID = try rig.addConfig(key: literal)
        let environmentID = try rig.addConfig(key: "env:" + variable)
        let fileID = try rig.addConfig(key: "file:" + keyFile)
        let refusedID = try rig.addConfig(key: refused)

        // Jobs for each config: sent, refused by SendGrid (400), and held because the key is refused (401).
        var index = 0
        for id in [literalID, environmentID, fileID, refusedID] {
            for job in try GoodJobs.all {
                var object = try Fixtures.object(String(decoding: job, as: UTF8.self))
                object["integration"] = id
                index += 1
                try rig.publish(try JSONSerialization.data(withJSONObject: object), name: "secret-\(index).json")
            }
        }
        try rig.sandbox.setFaults(#"{"failure_rate": 1, "failure_status": 401, "key_fingerprint": "\#(Fingerprint.of(refused))"}"#)
        let run = try rig.run(["--drain", "--log-level", "trace", "--retry-base", "10ms"], environment: environment)
        #expect(run.status == 0, "\(run.stderr.suffix(500))")
        try rig.sandbox.clearFaults()
        #expect(rig.jobFiles(in: "sent").count == 12, "sent: \(rig.jobFiles(in: "sent").count)")
        #expect(rig.jobFiles(in: "paused").count == 4, "held: \(rig.jobFiles(in: "paused").count)")

        // Every view ops use, at every verbosity.
        for arguments in [
            ["status"], ["status", "--json"], ["list"], ["list", "--json"], ["show", "secret-1"], ["show", "secret-13", "--json"], ["log"],
            ["log", "--json"], ["integrations", "list"], ["integrations", "show", String(literalID)],
            ["integrations", "show", String(environmentID)],
        ] {
            let result = try rig.mailroom(arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        try rig.mailroom(["retry", "--held"])
        let rerun = try rig.run(["--once", "--log-level", "trace"], environment: environment)
        #expect(rerun.status == 0)

        // The admin API: reads, a create, a key change, and bad requests that carry a key where it does not belong.
        try exerciseAdminAPI(rig, environment: environment, configToChange: refusedID)

        // The registry: the literal keys are there (and only there); referenced keys are not even there.
        let registry = try #require(rig.home.read("registry.json"))
        #expect(registry.contains(literal))
        #expect(!registry.contains(fromEnvironment), "an env: key was written to the registry")
        #expect(!registry.contains(fromFile), "a file: key was written to the registry")
    }

    private func exerciseAdminAPI(_ rig: Rig, environment: [String: String], configToChange: Int) throws {
        let token = "admin-\(UUID().uuidString)"
        let server = try rig.startCommand(
            ["serve", "--listen", "127.0.0.1:0"], environment: environment.merging(["MAILROOM_ADMIN_TOKEN": token]) { $1 })
        // The whole line, up to its newline: output arrives in pieces, and a port cut short is another port.
        func listeningPort(in text: String) -> Int? {
            guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first(where: { $0.contains("listening on") })
            else { return nil }
            return line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        #expect(server.waitForOutput { listeningPort(in: $0) != nil }, "mailroom serve did not start: \(server.stderr)")
        let port = try #require(listeningPort(in: server.stdout))
        let api = AdminClient(port: port, token: token)
        let fresh = TestKeys.make()
        let changed = TestKeys.make()
        let stray = TestKeys.make()
        var answers: [(Int, String)] = []
        answers.append(try api.call("GET", "/integrations"))
        answers.append(try api.call("GET", "/integrations/1"))
        let created = try api.call(
            "POST", "/integrations",
            #"{"integration": 4, "data": {"environment": "production", "api_key": "\#(fresh)", "from_email": "p@mailroom.example"}}"#)
        answers.append(created)
        #expect(created.0 == 201 || created.0 == 200, "create answered \(created.0): \(created.1)")
        answers.append(try api.call("PATCH", "/integrations/\(configToChange)", #"{"data": {"changeKeys": true, "api_key": "\#(changed)"}}"#))
        answers.append(try api.call("PATCH", "/integrations/\(configToChange)", #"{"data": {"api_key": "\#(stray)"}}"#))
        answers.append(
            try api.call(
                "POST", "/integrations", #"{"integration": 4, "data": {"environment": "stage", "api_key": "\#(stray)", "from_email": "bad"}}"#))
        answers.append(try api.call("POST", "/integrations", #"{"integration": 4, "\#(stray)": 1}"#))
        answers.append(try api.call("POST", "/integrations", #"{"integration": 4, "data": {"environment": "\#(stray)"}}"#))
        answers.append(try api.call("POST", "/integrations", #"{"integration": 4, "data": {"api_key": "\#(stray)"#))
        answers.append(try api.call("GET", "/integrations/\(stray)"))
        for (status, body) in answers {
            rig.keep(body, context: "admin API answer \(status)")
            // Not even a part of a key: its first 24 characters identify it.
            for key in [fresh, changed, stray] {
                #expect(!body.contains(key.prefix(24)), "an admin API answer (\(status)) shows part of a key: \(body.prefix(200))")
            }
        }
        server.signal(SIGTERM)
        _ = server.wait(timeout: .seconds(20))
    }
}

/// A blocking HTTP client for the admin API.
struct AdminClient {
    let port: Int
    let token: String

    func call(_ method: String, _ path: String, _ body: String? = nil) throws -> (Int, String) {
        guard let url = URL(string: "http://127.0.0.1:\(port)" + path) else { throw RigFailure("bad path") }
        var request = URLRequest(url: url, timeoutInterval: 20)
        request.httpMethod = method
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let answer = Locked<(Int, String)?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            answer.update { $0 = (status, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        done.wait()
        guard let result = answer.value else { throw RigFailure("\(method) \(path): no answer") }
        return result
    }
}
