import Foundation
import Hummingbird

/// Reading a request body: JSON only (415 otherwise) and at most 64 KiB (413 otherwise), checked
/// from `Content-Length` before anything is read, and again while reading for chunked bodies.
enum JSONBody {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws -> Data {
        guard isJSON(request.headers[.contentType]) else { throw AdminError.unsupportedMediaType }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw AdminError.bodyTooLarge
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AdminError.bodyTooLarge
        }
    }

    /// `application/json` or any `…+json` type, with or without parameters such as a charset.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}
