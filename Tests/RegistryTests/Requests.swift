import Foundation
import MailroomCore
import TestSupport

/// Request bodies for tests: the platform's sample with a fresh random key, with fields replaced or removed.
enum Requests {
    /// A create request. `data` entries replace the sample's (`NSNull()` removes one); `top` adds top-level fields.
    static func create(key: String, data: [String: Any] = [:], top: [String: Any] = [:]) -> Data {
        var fields: [String: Any] = [
            "environment": "stage", "api_key": key, "from_email": "notifications@yourcompany.com.br", "from_name": "Enspace Notifications",
        ]
        for (name, value) in data { fields[name] = value is NSNull ? nil : value }
        var body: [String: Any] = ["integration": 4, "data": fields]
        for (name, value) in top { body[name] = value is NSNull ? nil : value }
        return json(body)
    }

    /// An update request `{"data": data, ...top}`.
    static func update(data: [String: Any], top: [String: Any] = [:]) -> Data {
        var body = top
        body["data"] = data
        return json(body)
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The registry file under `home`, parsed.
    static func storedFile(_ path: String) throws -> [String: Any] {
        try Fixtures.object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    /// The `data.api_key` stored for config `id` in the registry file at `path`, as an `APIKey` so that a
    /// failed comparison prints fingerprints, not keys.
    static func storedKey(_ path: String, id: Int) throws -> APIKey? {
        let records = try storedFile(path)["integrations"] as? [[String: Any]] ?? []
        let record = records.first { ($0["id"] as? Int) == id }
        return ((record?["data"] as? [String: Any])?["api_key"] as? String).map(APIKey.init)
    }
}
