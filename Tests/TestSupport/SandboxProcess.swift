import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `mailroom sandbox` for tests: started on `127.0.0.1:0`, ready once it printed its
/// listening line, stopped with SIGTERM by `stop()` or on deinit. Everything it printed is scanned
/// for registered API keys when it stops.
///
/// ```swift
/// let sandbox = try SandboxProcess()
/// defer { sandbox.stop() }
/// try sandbox.setFaults(#"{"statuses":[500,202]}"#)
/// ... point the code under test at sandbox.baseURL ...
/// #expect(try sandbox.messages().count == 1)
/// ```
public final class SandboxProcess: @unchecked Sendable {
    /// A plain HTTP answer from the sandbox.
    public struct Reply: Sendable {
        public var status: Int
        /// Header names lowercased.
        public var headers: [String: String]
        public var body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object ([:] when it is not one).
        public func object() -> [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }

        /// `errors[i].message` and `errors[i].field` (field "" for null) of a SendGrid error body.
        public func errors() -> [(message: String, field: String)] {
            (object()["errors"] as? [[String: Any]] ?? []).map { ($0["message"] as? String ?? "", $0["field"] as? String ?? "") }
        }
    }

    /// Admin calls that did not get the answer they need.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The arguments after `sandbox`.
    public let arguments: [String]

    private let process: Process
    private let out = Pipe()
    private let err = Pipe()
    private let collected = Collected()
    private let session: URLSession
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `mailroom sandbox --listen LISTEN ARGS` and waits for its listening line.
    public init(_ extraArguments: [String] = [], listen: String = "127.0.0.1:0", startTimeout: Duration = .seconds(60)) throws {
        arguments = ["--listen", listen] + extraArguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: MailroomBinary.path)
        process.arguments = ["sandbox"] + arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collected = collected
        out.fileHandleForReading.readabilityHandler = { handle in collected.appendOut(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { handle in collected.appendErr(handle.availableData) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
        try process.run()

        let deadline = ContinuousClock.now + startTimeout
        var found: Int?
        while found == nil {
            if let line = collected.stdout.split(separator: "\n").first(where: { $0.hasPrefix("mailroom sandbox listening on ") }),
                let colon = line.lastIndex(of: ":")
            {
                found = Int(line[line.index(after: colon)...])
                break
            }
            if !process.isRunning || ContinuousClock.now > deadline {
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                SecretScanner.expectClean(collected.stdout + collected.stderr, context: "mailroom sandbox \(arguments.joined(separator: " "))")
                throw Failure(description: "mailroom sandbox did not start: \(collected.stderr.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        port = found ?? 0
    }

    deinit {
        stop()
    }

    /// Everything the sandbox printed so far (stdout then stderr).
    public var output: String { collected.stdout + collected.stderr }

    /// Sends SIGTERM, waits for the exit, scans the output for keys; returns the exit status.
    /// Calling it again returns the same status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning {
                Issue.record("mailroom sandbox did not exit within \(timeout) of SIGTERM", sourceLocation: sourceLocation)
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        session.invalidateAndCancel()
        let status = process.terminationStatus
        exitStatus = status
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        collected.appendOut(out.fileHandleForReading.readDataToEndOfFile())
        collected.appendErr(err.fileHandleForReading.readDataToEndOfFile())
        SecretScanner.expectClean(output, context: "mailroom sandbox \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
        return status
    }

    // MARK: - Admin API

    /// `GET /messages[?QUERY]`: the stored records, oldest first.
    public func messages(query: String = "") throws -> [[String: Any]] {
        let reply = try request("GET", "/messages" + (query.isEmpty ? "" : "?" + query))
        guard reply.status == 200, let list = try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] else {
            throw Failure(description: "GET /messages answered \(reply.status): \(reply.text.prefix(300))")
        }
        return list
    }

    /// `GET /messages/{id}`, or nil when the sandbox has no such message.
    public func message(id: String) throws -> [String: Any]? {
        let reply = try request("GET", "/messages/" + id)
        if reply.status == 404 { return nil }
        guard reply.status == 200 else { throw Failure(description: "GET /messages/\(id) answered \(reply.status)") }
        return reply.object()
    }

    /// `GET /stats`.
    public func stats() throws -> [String: Any] {
        let reply = try request("GET", "/stats")
        guard reply.status == 200 else { throw Failure(description: "GET /stats answered \(reply.status)") }
        return reply.object()
    }

    /// `POST /faults` with a JSON plan, e.g. `{"statuses":[500,202],"retry_after_seconds":1}`.
    public func setFaults(_ json: String) throws {
        let reply = try request("POST", "/faults", body: Data(json.utf8))
        guard reply.status == 200 else { throw Failure(description: "POST /faults answered \(reply.status): \(reply.text)") }
    }

    /// `DELETE /faults`.
    public func clearFaults() throws {
        _ = try request("DELETE", "/faults")
    }

    /// `DELETE /messages`: forgets every stored message (stats and faults are kept).
    public func clear() throws {
        _ = try request("DELETE", "/messages")
    }

    /// `DELETE /stats`: zeroes the request and connection counters.
    public func resetStats() throws {
        _ = try request("DELETE", "/stats")
    }

    /// `POST /v3/mail/send` with `body`, authenticated with `key` when given.
    public func send(_ body: String, key: String?, timeout: TimeInterval = 30) throws -> Reply {
        var headers = ["Content-Type": "application/json"]
        if let key { headers["Authorization"] = "Bearer " + key }
        return try request("POST", "/v3/mail/send", headers: headers, body: Data(body.utf8), timeout: timeout)
    }

    /// Any HTTP request to the sandbox; throws when no answer arrives (dropped, timed out).
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 30
    ) throws -> Reply {
        guard let url = URL(string: baseURL + path) else { throw Failure(description: "bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = ReplyBox()
        let semaphore = DispatchSemaphore(value: 0)
        // FoundationNetworking applies the session's timeout, not the request's: a shorter one needs its own session.
        var taskSession = session
        if timeout != session.configuration.timeoutIntervalForRequest {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            taskSession = URLSession(configuration: configuration)
        }
        defer { if taskSession !== session { taskSession.finishTasksAndInvalidate() } }
        taskSession.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (name, value) in response.allHeaderFields {
                    if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
                }
                box.set(.success(Reply(status: response.statusCode, headers: fields, body: data ?? Data())))
            } else {
                box.set(.failure(Failure(description: "\(method) \(path): no answer (\(error.map { "\($0)" } ?? "unknown"))\(self.exitNote)")))
            }
            semaphore.signal()
        }.resume()
        semaphore.wait()
        return try box.get()
    }
}

extension SandboxProcess {
    /// When the sandbox is no longer running: its exit status and the end of its stderr, for a failure message.
    var exitNote: String {
        guard !process.isRunning else { return "" }
        let stderr = collected.stderr
        // A sanitizer report (exit 66 under halt_on_error) is kept whole: its first frames say where the race is.
        if let report = stderr.range(of: "WARNING: ThreadSanitizer") ?? stderr.range(of: "ERROR: AddressSanitizer") {
            return "; the sandbox exited with status \(process.terminationStatus): \(stderr[report.lowerBound...].prefix(12_000))"
        }
        return "; the sandbox exited with status \(process.terminationStatus): \(stderr.suffix(1500))"
    }
}

/// The result of one URLSession task, handed from its delegate queue to the waiting test.
private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<SandboxProcess.Reply, SandboxProcess.Failure> = .failure(.init(description: "no answer"))

    func set(_ value: Result<SandboxProcess.Reply, SandboxProcess.Failure>) { lock.withLock { result = value } }
    func get() throws -> SandboxProcess.Reply { try lock.withLock { try result.get() } }
}
