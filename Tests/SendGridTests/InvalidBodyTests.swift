import Foundation
import MailroomCore
import TestSupport
import Testing

@testable import SendGrid

/// `fixtures/sendgrid-invalid-bodies.json`: bodies SendGrid refuses, with its message and field.
///
/// Two checks per entry: the client reports the sandbox's refusal with SendGrid's message and
/// field parsed; and when a job can express the body, the builder never produces a body the
/// API refuses — it either refuses the job itself, or writes a body the sandbox accepts.
@Suite("SendGrid's invalid bodies", .timeLimit(.minutes(3)))
struct InvalidBodyTests {
    struct Entry: Sendable, CustomTestStringConvertible {
        var name: String
        var body: Data
        var status: Int
        var message: String
        var field: String?
        var testDescription: String { name }
    }

    static let entries: [Entry] = {
        guard let text = try? Fixtures.text("sendgrid-invalid-bodies.json"),
            let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        else { return [] }
        return list.compactMap { entry in
            guard let name = entry["name"] as? String, let body = entry["body"],
                let data = try? JSONSerialization.data(withJSONObject: body, options: [.fragmentsAllowed]),
                let status = entry["status"] as? Int, let message = entry["message"] as? String
            else { return nil }
            return Entry(name: name, body: data, status: status, message: message, field: entry["field"] as? String)
        }
    }()

    /// Entries a job can express whose job the builder must refuse (not merely repair).
    static let mustBeRefusedByTheBuilder: Set<String> = [
        "personalizations missing", "to is empty", "to email empty", "to email not an address", "to email with a space",
        "to email without a dotted domain", "to email longer than 320", "cc email not an address", "bcc longer than 320",
        "from email not an address", "subject missing", "subject empty", "content missing", "content empty",
        "reply_to not an address", "reserved header", "reserved header any case", "header key with a space",
        "eleven categories", "category longer than 255", "category repeated", "category not ASCII", "send_at beyond 72 hours",
        "attachment content not base64", "attachment content empty", "attachment filename with CRLF", "attachment type empty",
        "attachment type with a semicolon", "attachment disposition unknown", "attachment content_id with CRLF",
    ]

    @Test func theFixtureHasEnoughEntries() {
        #expect(Self.entries.count >= 30)
        let names = Set(Self.entries.map(\.name))
        #expect(Self.mustBeRefusedByTheBuilder.isSubset(of: names), "missing: \(Self.mustBeRefusedByTheBuilder.subtracting(names).sorted())")
    }

    @Test func theClientReportsEachRefusalWithSendGridsMessageAndField() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox, maxConnections: 4)
        let key = TestKeys.make()
        for entry in Self.entries {
            let outcome = await ClientFixtures.send(client, entry.body, key: key)
            guard case .rejected(let status, let errors) = outcome else {
                Issue.record("\(entry.name): expected a rejection, got \(outcome)")
                continue
            }
            #expect(status == entry.status, "\(entry.name)")
            #expect(
                errors.contains { $0.message == entry.message && $0.field == entry.field },
                "\(entry.name): \(errors) lacks \(entry.field ?? "null"): \(entry.message)")
        }
        await client.shutdown()
    }

    @Test func theBuilderNeverProducesABodyTheAPIRefuses() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let client = try ClientFixtures.client(sandbox, maxConnections: 4)
        let key = TestKeys.make()
        var refused: Set<String> = []
        var repaired: [String] = []
        for entry in Self.entries {
            guard let object = try JSONSerialization.jsonObject(with: entry.body) as? [String: Any],
                let expressed = InvalidBodyJobs.expressed(object)
            else { continue }
            let sandboxMode = ((object["mail_settings"] as? [String: Any])?["sandbox_mode"] as? [String: Any])?["enable"] as? Bool ?? true
            do {
                let built = try PayloadBuilder.build(job: expressed.job, jobID: "invalid-body", from: expressed.from, sandboxMode: sandboxMode)
                let outcome = await ClientFixtures.send(client, built, key: key)
                #expect(outcome.isAccepted, "\(entry.name): the builder wrote a body the sandbox refuses: \(outcome)")
                repaired.append(entry.name)
            } catch {
                refused.insert(entry.name)
            }
        }
        let notRefused = Self.mustBeRefusedByTheBuilder.subtracting(refused)
        #expect(notRefused.isEmpty, "the builder should have refused: \(notRefused.sorted())")
        // Repaired, not refused: duplicates dropped, parts reordered, an empty custom_args filled with mailroom_job.
        #expect(repaired.contains("same address in to and cc"))
        #expect(repaired.contains("html before plain"))
        await client.shutdown()
    }
}
