import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

/// Every bad create request of issue 2, checked in process: the error names the field, exits 65,
/// never contains the key, and nothing is written.
@Suite struct ValidationTests {
    struct BadInput: CustomTestStringConvertible, Sendable {
        var name: String
        var field: String
        var words: String
        var body: @Sendable (String) -> Data
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "integration 7", field: "integration", words: "only supported integration is 4") {
            Requests.create(key: $0, top: ["integration": 7])
        },
        BadInput(name: "integration missing", field: "integration", words: "required") {
            Requests.create(key: $0, top: ["integration": NSNull()])
        },
        BadInput(name: "environment dev", field: "data.environment", words: "\"dev\" is not stage or production") {
            Requests.create(key: $0, data: ["environment": "dev"])
        },
        BadInput(name: "api_key missing", field: "data.api_key", words: "required") {
            Requests.create(key: $0, data: ["api_key": NSNull()])
        },
        BadInput(name: "key without SG.", field: "data.api_key", words: "starting with SG.") {
            Requests.create(key: $0, data: ["api_key": "XX." + $0.dropFirst(3)])
        },
        BadInput(name: "key with a space", field: "data.api_key", words: "white space") {
            Requests.create(key: $0, data: ["api_key": $0 + " "])
        },
        BadInput(name: "key with a newline", field: "data.api_key", words: "white space or a control character") {
            Requests.create(key: $0, data: ["api_key": String($0.prefix(10)) + "\n" + $0.dropFirst(10)])
        },
        BadInput(name: "from_email not an address", field: "data.from_email", words: "\"x\" is not an email address") {
            Requests.create(key: $0, data: ["from_email": "x"])
        },
        BadInput(name: "key pasted into from_email", field: "data.from_email", words: "looks like an API key") {
            Requests.create(key: $0, data: ["from_email": $0])
        },
        BadInput(name: "from_name with a control character", field: "data.from_name", words: "control character") {
            Requests.create(key: $0, data: ["from_name": "Enspace\u{7}Notifications"])
        },
        BadInput(name: "unknown field in data", field: "data.reply_to", words: "unknown field") {
            Requests.create(key: $0, data: ["reply_to": "a@example.com"])
        },
        BadInput(name: "environment not a string", field: "data.environment", words: "expected a string, got a number") {
            Requests.create(key: $0, data: ["environment": 1])
        },
        BadInput(name: "data not an object", field: "data", words: "expected an object") { _ in
            Requests.json(["integration": 4, "data": ["stage"]])
        },
        BadInput(name: "body an array", field: "body", words: "expected a JSON object") { _ in Requests.json([1, 2]) },
        BadInput(name: "status unknown", field: "status", words: "\"paused\" is not active or inactive") {
            Requests.create(key: $0, top: ["status": "paused"])
        },
    ]

    @Test(arguments: badInputs)
    func badCreateRequestIsRefusedNamingTheField(_ input: BadInput) throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        let key = TestKeys.make()
        let error = #expect(throws: RegistryError.self) { try store.create(request: input.body(key)) }
        #expect(error?.field == input.field)
        #expect(error?.exitStatus == .dataError)
        #expect(error?.description.hasPrefix("invalid integration: \(input.field): ") == true)
        #expect(error?.description.contains(input.words) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("\n") == false)
        SecretScanner.expectClean(error?.description ?? "", context: input.name)
        #expect(!FileManager.default.fileExists(atPath: home.registry))
    }

    @Test func malformedJSONNamesTheLineAndColumn() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let body = Data("{\"integration\": 4,\n \"data\": {\"api_key\": \"\(key)\" \"environment\": \"stage\"}}".utf8)
        let error = #expect(throws: RegistryError.self) { try RegistryStore(path: home.registry).create(request: body) }
        guard case .malformedRequest(let line, let column) = error else {
            Issue.record("expected malformedRequest, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(column > 1)
        #expect(error?.exitStatus == .dataError)
        SecretScanner.expectClean(error?.description ?? "", context: "malformed JSON")
    }

    @Test(arguments: ["env:SENDGRID_STAGE_KEY", "file:/run/secrets/sendgrid"])
    func keyReferencesAreAcceptedAndStoredAsWritten(_ reference: String) throws {
        let home = TemporaryHome()
        let config = try RegistryStore(path: home.registry).create(request: Requests.create(key: reference))
        #expect(config.apiKey.description == reference)
        #expect(try Requests.storedKey(home.registry, id: config.id) == APIKey(reference))
    }

    @Test func fromNameMayBeLeftOut() throws {
        let home = TemporaryHome()
        let config = try RegistryStore(path: home.registry).create(request: Requests.create(key: TestKeys.make(), data: ["from_name": NSNull()]))
        #expect(config.fromName == "")
    }
}
