import Foundation
import MailroomCore
import Testing

/// The one JSON reader, tree, writer and escaper that jobs, the registry, listings and logs share.
@Suite struct JSONToolkitTests {
    static func read(_ text: String, _ options: JSONReader.Options = .strict) throws(JSONReader.Failure) -> JSONValue {
        try JSONReader.read(Data(text.utf8), options: options)
    }

    @Test func membersKeepTheOrderTheyWereWrittenIn() throws {
        let value = try Self.read(#"{"b": 1, "a": {"z": true, "y": null}, "c": [1, "x"]}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["a"]?.objectValue?.keys == ["z", "y"])
        #expect(value.rendered() == #"{"b":1,"a":{"z":true,"y":null},"c":[1,"x"]}"#)
    }

    @Test func aRepeatedKeyIsRefusedWithItsPathOrKeptWhenAsked() throws {
        #expect(throws: JSONReader.Failure.duplicateKey(path: [.key("a"), .index(1), .key("k")])) {
            try Self.read(#"{"a": [{}, {"k": 1, "k": 2}]}"#)
        }
        let kept = try Self.read(#"{"k": 1, "k": 2}"#, .keepingDuplicates)
        #expect(kept.objectValue?.keys == ["k", "k"])
        #expect(kept["k"] == .number(1))
    }

    @Test func aRepeatedKeyIsFoundInLargeObjectsToo() throws {
        let members = (0..<1000).map { #""k\#($0)": \#($0)"# } + [#""k999": 0"#]
        #expect(throws: JSONReader.Failure.duplicateKey(path: [.key("k999")])) { try Self.read("{" + members.joined(separator: ",") + "}") }
    }

    @Test func syntaxErrorsGiveAnOffsetThatBecomesALineAndColumn() throws {
        let text = "{\"a\": 1,\n  \"b\": ]}"
        do {
            _ = try Self.read(text)
            Issue.record("expected a syntax error")
        } catch {
            guard case .syntax(_, let offset) = error else {
                Issue.record("expected a syntax error, got \(error)")
                return
            }
            let position = JSONReader.position(of: offset, in: Array(text.utf8))
            #expect(position.line == 2 && position.column == 8)
        }
        #expect(throws: JSONReader.Failure.syntax("invalid UTF-8", offset: 2)) { try JSONReader.read(Data([0x22, 0x61, 0xFF, 0x22])) }
    }

    @Test func equalObjectsMayListTheirMembersInAnyOrder() {
        let one: JSONObject = ["a": .int(1), "b": .string("x")]
        let other: JSONObject = ["b": .string("x"), "a": .int(1)]
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(one != ["a": .int(1)])
    }

    @Test func prettyTextIndentsByTwoSpacesAndKeepsEmptyContainersShort() {
        let value: JSONValue = .object(["id": .int(1), "media": .array([]), "data": .object(["x": .bool(false)]), "list": .array([.null])])
        let expected = """
            {
              "id": 1,
              "media": [],
              "data": {
                "x": false
              },
              "list": [
                null
              ]
            }
            """
        #expect(value.rendered(pretty: true) == expected)
    }

    @Test func sortingKeysWritesEveryLevelInAscendingOrder() {
        var writer = JSONWriter()
        writer.value(.object(["b": .object(["d": .int(1), "c": .int(2)]), "a": .null]), sortingKeys: true)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":null,"b":{"c":2,"d":1}}"#)
    }

    @Test func theEscaperWritesWhatJSONNeedsAndMessagesAlsoHideLineBreakers() throws {
        let text = "q\"b\\n\n\r\t\u{1}\u{7F}é\u{85}\u{2028}"
        var bytes: [UInt8] = []
        JSONEscaping.appendQuoted(text, to: &bytes)
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(json == "\"q\\\"b\\\\n\\n\\r\\t\\u0001\\u007fé\u{85}\u{2028}\"")
        #expect(JSONEscaping.quoted(text) == json)
        #expect(JSONEscaping.quotedSize(text) == bytes.count)
        #expect(JSONEscaping.quoted(text, style: .message) == "\"q\\\"b\\\\n\\n\\r\\t\\u0001\\u007Fé\\u0085\\u2028\"")
        #expect(JSONEscaping.quoted(String(repeating: "a", count: 50), limit: 10) == "\"aaaaaaaaaa…\"")
        #expect(try Self.read(json) == .string(text))
    }
}
