import Foundation
import MailroomCore
import TestSupport
import Testing

@Suite struct APIKeyRedactionTests {
    struct Holder {
        var name = "stage"
        var key: APIKey
    }

    /// Every way Swift prints a value, for a key on its own and inside other values.
    static func printedForms(of key: APIKey) -> [String] {
        var dumped = ""
        dump(key, to: &dumped)
        var dumpedHolder = ""
        dump(Holder(key: key), to: &dumpedHolder)
        let optional: APIKey? = key
        return [
            key.description, key.debugDescription, "\(key)", String(describing: key), String(reflecting: key), dumped, dumpedHolder,
            "\([key])", "\(["k": key])", "\(optional as Any)", String(describing: Holder(key: key)), String(reflecting: Holder(key: key)),
            Mirror(reflecting: key).children.map { "\($0.label ?? ""): \($0.value)" }.joined(),
        ]
    }

    @Test func noPrintedFormContainsTheKeyOrAnyLongPartOfIt() {
        let secret = TestKeys.make()
        let key = APIKey(secret)
        for text in Self.printedForms(of: key) {
            SecretScanner.expectClean(text, context: "printed APIKey")
            // Not even a slice: no 8 consecutive characters of the random part.
            let random = Array(secret.dropFirst(3))
            for start in stride(from: 0, to: random.count - 8, by: 1) {
                #expect(!text.contains(String(random[start..<start + 8])), "\(text)")
            }
        }
    }

    @Test func everyPrintedFormShowsTheFingerprint() {
        let key = APIKey(TestKeys.make())
        #expect(key.fingerprint.hasPrefix("sha256:") && key.fingerprint.count == 19)
        for text in Self.printedForms(of: key).prefix(7) {
            #expect(text.contains(key.fingerprint), "\(text)")
        }
    }

    @Test func differentKeysHaveDifferentFingerprintsAndTheSameKeyTheSame() {
        let secret = TestKeys.make()
        #expect(APIKey(secret).fingerprint == APIKey(secret).fingerprint)
        #expect(APIKey(secret).fingerprint != APIKey(TestKeys.make()).fingerprint)
        #expect(APIKey(secret).secret == secret)
    }
}
