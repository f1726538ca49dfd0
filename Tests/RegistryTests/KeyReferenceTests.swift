import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

@Suite struct KeyReferenceTests {
    @Test func printedFormsOfAStoredKeyShowOnlyAFingerprint() throws {
        let key = TestKeys.make()
        let reference = try KeyReference(parsing: key)
        let config = IntegrationConfig(
            id: 1, status: .active, environment: .stage, apiKey: reference, fromEmail: "a@example.com", fromName: "",
            createdAt: "", updatedAt: "")
        var dumped = ""
        dump(config, to: &dumped)
        let forms = [
            reference.description, reference.debugDescription, "\(reference)", String(reflecting: reference), reference.fingerprint,
            "\(config)", String(reflecting: config), dumped,
        ]
        for form in forms {
            SecretScanner.expectClean(form, context: "a printed form of a key reference")
            let showsASlice = form.contains(key.dropFirst(3).prefix(8))
            #expect(!showsASlice, "a slice of the key appears in a printed form")
        }
        #expect(reference.fingerprint.wholeMatch(of: /sha256:[0-9a-f]{12}/) != nil)
    }

    @Test func environmentReferenceResolvesFromTheGivenEnvironment() throws {
        let key = TestKeys.make()
        let reference = try KeyReference(parsing: "env:SENDGRID_STAGE_KEY")
        #expect(reference == .environment("SENDGRID_STAGE_KEY"))
        #expect(reference.fingerprint == "env:SENDGRID_STAGE_KEY")
        #expect(try reference.resolve(environment: ["SENDGRID_STAGE_KEY": key]) == APIKey(key))
    }

    @Test func unsetVariableIsAnErrorNamingTheReference() throws {
        let reference = KeyReference.environment("SENDGRID_STAGE_KEY")
        let error = #expect(throws: RegistryError.self) { try reference.resolve(environment: [:]) }
        #expect(error?.description.contains("env:SENDGRID_STAGE_KEY") == true)
        #expect(error?.exitStatus == .configuration)
    }

    @Test func variableHoldingSomethingElseIsRefusedWithoutShowingIt() throws {
        let reference = KeyReference.environment("K")
        let error = #expect(throws: RegistryError.self) { try reference.resolve(environment: ["K": "hunter2 not a key"]) }
        #expect(error?.description.contains("env:K") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func fileReferenceResolvesTheTrimmedFileContent() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let path = try home.write("secrets/sendgrid.key", key + "\n")
        let reference = try KeyReference(parsing: "file:" + path)
        #expect(try reference.resolve(environment: [KeyDirectories.variable: home.path]) == APIKey(key))
    }

    @Test func missingFileIsAnErrorNamingTheReference() throws {
        let home = TemporaryHome()
        let reference = KeyReference.file(home.path + "/absent.key")
        let error = #expect(throws: RegistryError.self) { try reference.resolve(environment: [KeyDirectories.variable: home.path]) }
        #expect(error?.description.contains("file:\(home.path)/absent.key") == true)
        #expect(error?.description.contains("No such file") == true, "\(String(describing: error))")
    }

    @Test(arguments: ["env:", "env:1ABC", "env:A-B", "file:relative/path", "file:"])
    func malformedReferencesAreRefused(_ text: String) {
        #expect(throws: RegistryError.self) { try KeyReference(parsing: text) }
    }
}
