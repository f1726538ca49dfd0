import Foundation
import MailroomCore
import TestSupport

/// Request bodies for the admin API tests.
enum Bodies {
    /// The platform's sample create request with `key` and `data` entries replaced; `top` adds top-level fields.
    static func create(key: String, data: [String: Any] = [:], top: [String: Any] = [:]) -> Data {
        var fields: [String: Any] = [
            "environment": "stage", "api_key": key, "from_email": "notifications@yourcompany.com.br", "from_name": "Enspace Notifications",
        ]
        fields.merge(data) { _, new in new }
        var body: [String: Any] = ["integration": 4, "data": fields]
        body.merge(top) { _, new in new }
        return json(body)
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The `data.api_key` stored for config `id` in the registry file at `path`, as an `APIKey` so that a
    /// failed comparison prints fingerprints, not keys.
    static func storedKey(_ path: String, id: Int) throws -> APIKey? {
        let file = try Fixtures.object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        let records = file["integrations"] as? [[String: Any]] ?? []
        let record = records.first { ($0["id"] as? Int) == id }
        return ((record?["data"] as? [String: Any])?["api_key"] as? String).map(APIKey.init)
    }
}
