import Foundation
import MailroomCore
import Testing

/// Inputs too big to commit: generated here at run time.
@Suite struct HostileSizeAndDepthTests {
    /// A valid job whose attachment pads the file to exactly `size` bytes.
    static func paddedJob(size: Int) -> Data {
        let head = #"{"to": "ana@example.com", "subject": "Hi", "text": "Hello", "attachments": [{"filename": "a.bin", "content": ""#
        let tail = #""}]}"#
        let room = size - head.utf8.count - tail.utf8.count
        let content = String(repeating: "QUJD", count: room / 4) + String(repeating: " ", count: 0)
        var data = Data(head.utf8)
        data.append(contentsOf: content.utf8)
        data.append(contentsOf: tail.utf8)
        // Pad with white space after the object to reach the exact size.
        data.append(contentsOf: [UInt8](repeating: 0x20, count: size - data.count))
        return data
    }

    @Test func aTwentyFiveMebibyteFileIsRefusedAsAWhole() {
        let data = Self.paddedJob(size: 25 * 1024 * 1024)
        expectRefused(data, field: "job")
    }

    @Test func aJobOfExactlyTheMaximumSizeIsAcceptedAndOneByteMoreIsNot() throws {
        let data = Self.paddedJob(size: JobParser.maximumSize)
        #expect(data.count == JobParser.maximumSize)
        let job = try JobParser.parse(data, now: referenceNow)
        #expect(job.attachments.first?.content.utf8.count ?? 0 > 20_000_000)
        expectRefused(Self.paddedJob(size: JobParser.maximumSize + 1), field: "job")
    }

    @Test(arguments: [100_000, 1_000_000])
    func hugelyNestedArraysAreRefusedWithoutExhaustingTheStack(depth: Int) {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        expectRefused(Data(text.utf8), field: "job")
        let unterminated = String(repeating: "[", count: depth)
        expectRefused(Data(unterminated.utf8), field: "job")
    }

    @Test func hugelyNestedObjectsInsideTemplateDataAreRefused() {
        let depth = 100_000
        let text =
            #"{"to": "ana@example.com", "template_id": "d-1", "dynamic_template_data": "#
            + String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) + "}"
        expectRefused(Data(text.utf8), field: "job")
    }

    @Test func reasonableNestingInTemplateDataIsAccepted() throws {
        var nested: Any = ["leaf": "value"]
        for _ in 0..<60 { nested = ["child": nested] }
        let object: [String: Any] = ["to": "ana@example.com", "template_id": "d-1", "dynamic_template_data": nested]
        let job = try #require(expectAccepted(object))
        var value: JSONValue? = .object(try #require(job.dynamicTemplateData))
        for _ in 0..<60 { value = value?["child"] }
        #expect(value?["leaf"] == .string("value"))
    }

    @Test func aMillionRecipientsAreRefusedQuickly() {
        let addresses = (0..<400_000).map { "\"u\($0)@example.com\"" }.joined(separator: ",")
        let text = #"{"subject": "Hi", "text": "t", "to": ["# + addresses + "]}"
        let clock = ContinuousClock()
        let elapsed = clock.measure { expectRefused(Data(text.utf8), field: "to") }
        #expect(elapsed < .seconds(10))
    }
}
