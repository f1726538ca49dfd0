import Foundation
import Testing

@testable import Sandbox

/// The sandbox's own JSON parser, which every Mail Send body goes through.
struct JSONParserTests {
    private func parse(_ text: String) -> JSONTree? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw in try? JSONParser.parse(UnsafeRawBufferPointer(raw)) }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "tru", "\"unterminated", "\"tab\there\"", "{} {}", "[\"\\x\"]"])
    func malformedTextIsRefused(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test func integersStayExactAndFractionsAreNumbers() {
        #expect(parse("1795916098381156576")?.integer == 1_795_916_098_381_156_576)
        #expect(parse("-3")?.integer == -3)
        #expect(parse("1.5")?.schemaType == "number")
        #expect(parse("1e3")?.integer == nil)
        #expect(parse("1e3")?.double == 1000)
        #expect(parse("99999999999999999999")?.schemaType == "number")
    }

    @Test func escapesAndSurrogatePairsDecode() {
        #expect(parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)?.string == "a\"b\\c/d\né😀")
        #expect(parse(#""\ud83d""#)?.string == "\u{FFFD}")
    }

    @Test func objectsKeepOrderAndDuplicateKeys() {
        let members = parse(#"{"b":1,"a":2,"b":3}"#)?.members ?? []
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(parse(#"{"b":1,"a":2,"b":3}"#)?["b"]?.integer == 1)
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        #expect(parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) != nil)
        #expect(parse(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)) == nil)
    }

    @Test func encodingRoundTripsThroughFoundation() throws {
        let text = #"{"s":"x\"\n\u0001","i":12,"d":0.25,"b":true,"n":null,"a":[{}]}"#
        let tree = try #require(parse(text))
        let ours = try JSONSerialization.jsonObject(with: Data(JSONText.encode(tree).utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(ours == theirs)
    }

    @Test func utf8CheckCatchesBrokenSequences() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { JSONParser.isValidUTF8($0) } }
        #expect(valid(Array("héllo 😀".utf8)))
        #expect(!valid([0x61, 0xC3, 0x28]))
        #expect(!valid([0xED, 0xA0, 0x80]))
        #expect(!valid([0xF0, 0x9F]))
    }
}

/// Message ids and record timestamps.
struct RecordFormatTests {
    @Test func messageIDsAre22URLSafeCharactersAndUnique() {
        let generator = MessageIDGenerator()
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(SandboxFixtures.isMessageID))
    }

    @Test func receivedAtMatchesFoundationsISO8601() {
        for nanoseconds in [0, 1_700_000_000_123_456_789, 1_795_916_098_381_156_576, 951_782_400_999_000_000] {
            // Half a millisecond in, so binary floating point cannot round Foundation down a millisecond.
            let date = Date(timeIntervalSince1970: Double(nanoseconds / 1_000_000) / 1000 + 0.0005)
            let expected = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
            #expect(WallClock.iso8601(nanoseconds: nanoseconds) == expected)
        }
    }

    @Test func bearerTokensAreReadLikeSendGridReadsThem() {
        #expect(KeyCheck.bearerToken("Bearer SG.abc") == "SG.abc")
        #expect(KeyCheck.bearerToken("bearer   SG.abc  ") == "SG.abc")
        #expect(KeyCheck.bearerToken("Bearer") == "")
        #expect(KeyCheck.bearerToken("BearerSG.abc") == nil)
        #expect(KeyCheck.bearerToken("Basic xyz") == nil)
        #expect(KeyCheck.bearerToken(nil) == nil)
    }
}
