import Foundation
import MailroomCore
import Testing

/// The job reader against Foundation's encoder: whatever valid JSON JSONEncoder writes for template data,
/// the parser reads back to the same value, escapes and numbers included.
@Suite struct JSONReadingTests {
    /// A deterministic pseudo-random generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [Character] = Array("aZ09 \"\\/\n\r\t\u{0}\u{1F}é€😀\u{2028}<>&'") + ["\u{7F}"]

    static func randomString(_ rng: inout SplitMix) -> String {
        String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
    }

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch Int.random(in: 0...(depth > 4 ? 3 : 5), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            let choices: [Double] = [0, -0.0, 1, -1, 1.5, 1e-7, 123_456_789_012, 9_007_199_254_740_991, 1.7976931348623157e308, -2.5e-300]
            return .number(choices.randomElement(using: &rng) ?? 0)
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) { members[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(JSONObject(members))
        }
    }

    @Test func templateDataWrittenByJSONEncoderReadsBackUnchanged() throws {
        var rng = SplitMix(state: 20_261_129)
        for _ in 0..<300 {
            var data: [String: JSONValue] = [:]
            for _ in 0..<3 { data[Self.randomString(&rng)] = Self.randomValue(&rng, depth: 0) }
            let job: [String: JSONValue] = [
                "to": .string("ana@example.com"), "template_id": .string("d-1"), "dynamic_template_data": .object(JSONObject(data)),
            ]
            let encoded = try JSONEncoder().encode(job)
            let parsed = try JobParser.parse(encoded, now: referenceNow)
            #expect(parsed.dynamicTemplateData == JSONObject(data), "\(String(decoding: encoded, as: UTF8.self))")
        }
    }

    @Test func escapesDecodeToTheCharactersTheyName() throws {
        let text = #"{"to": "ana@example.com", "subject": "\u00e9\ud83d\ude00 \"q\" \\ \/ \t", "text": "a\nb\u0041"}"#
        let job = try JobParser.parse(Data(text.utf8), now: referenceNow)
        #expect(job.subject == "é😀 \"q\" \\ / \t")
        #expect(job.text == "a\nbA")
    }

    @Test func whiteSpaceAroundTheObjectIsFine() throws {
        let text = " \r\n\t{\"to\": \"ana@example.com\", \"subject\": \"Hi\", \"text\": \"t\"} \n\n"
        #expect(try JobParser.parse(Data(text.utf8), now: referenceNow).subject == "Hi")
    }

    @Test(arguments: [
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": +1}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": .5}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": 1.}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": 1e}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": -}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": "t", "send_at": Infinity}"#,
        #"{"to": "a@example.com", "subject": "Hi", "text": tru}"#,
        #"{"to": "a@example.com", "subject": "Hi\u12", "text": "t"}"#,
        #"{"to": "a@example.com", "subject": "Hi\udc00", "text": "t"}"#,
        #"{"to": "a@example.com", "subject": "Hi" "text": "t"}"#,
        #"{"to": "a@example.com", "subject" "Hi", "text": "t"}"#,
        #"{"to": ["a@example.com",], "subject": "Hi", "text": "t"}"#,
        #"{"to": ["a@example.com" "b@example.com"], "subject": "Hi", "text": "t"}"#,
        "{\"to\": \"a@example.com\", \"subject\": \"Hi\", \"text\": \"t\"}\u{0}",
        "{\"to\": \"a@example.com\", \"subject\": \"Hi\\\r\nBcc: eve@example.com\", \"text\": \"t\"}",
    ])
    func malformedJSONIsRefusedAsAWholeWithItsPosition(text: String) throws {
        let error = try #require(expectRefused(Data(text.utf8), field: "job"))
        #expect(error.message.contains("line 1, column"))
    }
}
