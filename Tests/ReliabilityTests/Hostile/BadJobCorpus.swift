import Foundation
import TestSupport

/// `fixtures/bad-jobs/`: hostile job files and, in `expected.json`, the field each refusal must name.
enum BadJobCorpus {
    static let folder = Fixtures.path("bad-jobs")

    /// File name → the field its refusal names.
    static let expected: [String: String] = {
        guard let data = FileManager.default.contents(atPath: folder + "/expected.json"),
            let map = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return map
    }()

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }

    /// A valid job padded with an attachment to `size` bytes: over 20 MiB it must be refused as a whole (`job`).
    static func oversized(_ size: Int) -> Data {
        let head = #"{"to": "ana@example.com", "subject": "Hi", "text": "Hello", "attachments": [{"filename": "a.bin", "content": ""#
        let tail = #""}]}"#
        let room = (size - head.utf8.count - tail.utf8.count) / 4 * 4
        var data = Data(head.utf8)
        data.append(contentsOf: String(repeating: "QUJD", count: room / 4).utf8)
        data.append(contentsOf: tail.utf8)
        data.append(contentsOf: [UInt8](repeating: 0x20, count: max(0, size - data.count)))
        return data
    }
}
