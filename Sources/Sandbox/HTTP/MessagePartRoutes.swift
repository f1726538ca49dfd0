import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A stored message's HTML part and attachments, as the inbox page shows and downloads them.
///
/// Mail content is hostile until proven otherwise: the HTML part is answered with
/// `Content-Security-Policy: sandbox` (no scripts, no forms, no same-origin access) and no remote
/// loads, and attachments only ever as downloads (`Content-Disposition: attachment`), never rendered
/// on the sandbox's origin.
struct MessagePartRoutes: Sendable {
    let state: SandboxState

    /// The HTML part's policy: a sandboxed document that can load nothing but inline styles and data: images.
    static let htmlPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
    /// Attachments are never meant to render, but if a browser tries anyway nothing in them may run.
    static let attachmentPolicy = "sandbox; default-src 'none'"

    func register(on router: Router<SandboxRequestContext>) {
        router.get("messages/:id/html") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let request = requestTree(id) else { return AdminRoutes.noMessage(id) }
            let html = (request["content"]?.array ?? []).first { $0["type"]?.string?.lowercased() == "text/html" }?["value"]?.string
            guard let html else { return CannedResponses.json(404, "{\"error\":\"the message has no text/html part\"}") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: Self.htmlPolicy, .xContentTypeOptions: "nosniff",
                    .cacheControl: "no-store", Self.referrerPolicy: "no-referrer",
                ],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("messages/:id/attachments/:index") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let request = requestTree(id) else { return AdminRoutes.noMessage(id) }
            let attachments = request["attachments"]?.array ?? []
            guard let index = context.parameters.get("index").flatMap({ Int($0) }), attachments.indices.contains(index) else {
                return CannedResponses.json(404, "{\"error\":\"the message has no such attachment\"}")
            }
            return Self.download(attachments[index], index: index)
        }
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// The request of a stored message, parsed, or nil when the store has no such message.
    private func requestTree(_ id: String) -> JSONTree? {
        guard let record = state.store.find(id: id) else { return nil }
        var utf8 = Array(record.json.utf8)
        let tree = utf8.withUnsafeMutableBytes { raw in try? JSONParser.parse(UnsafeRawBufferPointer(raw)) }
        return tree?["request"]
    }

    /// One attachment's decoded bytes, as a download named after its `filename`.
    static func download(_ attachment: JSONTree, index: Int) -> Response {
        guard let content = attachment["content"]?.string, let bytes = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else {
            return CannedResponses.json(422, "{\"error\":\"the attachment's content is not base64\"}")
        }
        let filename = attachment["filename"]?.string ?? "attachment-\(index)"
        return Response(
            status: .ok,
            headers: [
                .contentType: mediaType(attachment["type"]?.string), .contentDisposition: AttachmentName.disposition(filename),
                .xContentTypeOptions: "nosniff", .contentSecurityPolicy: attachmentPolicy, .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The attachment's `type` when it is a plain `type/subtype`, else `application/octet-stream`.
    static func mediaType(_ type: String?) -> String {
        guard let type, type.utf8.count <= 255 else { return "application/octet-stream" }
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in
            !part.isEmpty
                && part.unicodeScalars.allSatisfy {
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "!#$&^_.+-".unicodeScalars.contains($0))
                }
        }
        guard parts.count == 2, token(parts[0]), token(parts[1]) else { return "application/octet-stream" }
        return type.lowercased()
    }
}
