import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// Helpers shared by the payload tests: fixture jobs, the config's sender, and the built body
/// parsed back to plain JSON objects so tests assert structure, never a string snapshot.
enum PayloadFixtures {
    /// The sender of `fixtures/integrations/create-request.json`.
    static let sender: EmailAddress = {
        let object = (try? Fixtures.object(Fixtures.text("integrations/create-request.json"))) ?? [:]
        let data = object["data"] as? [String: Any] ?? [:]
        return EmailAddress(email: data["from_email"] as? String ?? "", name: data["from_name"] as? String)
    }()

    /// A fixture job from `fixtures/jobs/NAME.json`, through the real parser.
    static func job(_ name: String) throws -> Job {
        try JobParser.parse(Data(Fixtures.text("jobs/\(name).json").utf8))
    }

    /// The body built for `job`, parsed back.
    static func body(
        _ job: Job, id: String = "job-1", from: EmailAddress = sender, sandboxMode: Bool = false, now: Date = Date()
    ) throws -> [String: Any] {
        let data = try PayloadBuilder.build(job: job, jobID: id, from: from, sandboxMode: sandboxMode, now: now)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The one personalization of `body`.
    static func personalization(_ body: [String: Any]) throws -> [String: Any] {
        let list = try #require(body["personalizations"] as? [[String: Any]])
        try #require(list.count == 1)
        return list[0]
    }

    /// `[{"email":…, "name":…}]` as (email, name) pairs.
    static func addresses(_ value: Any?) -> [EmailAddress] {
        (value as? [[String: Any]] ?? []).map { EmailAddress(email: $0["email"] as? String ?? "?", name: $0["name"] as? String) }
    }

    /// The PayloadError `build` throws for `job`, or nil when it builds.
    static func refusal(_ job: Job, from: EmailAddress = sender, now: Date = Date()) -> PayloadError? {
        do {
            _ = try PayloadBuilder.build(job: job, jobID: "job-1", from: from, sandboxMode: true, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// A small valid job to mutate in refusal tests.
    static func simpleJob() -> Job {
        Job(to: [EmailAddress(email: "ana@example.com", name: "Ana")], subject: "Hello", text: "Hi Ana")
    }
}
