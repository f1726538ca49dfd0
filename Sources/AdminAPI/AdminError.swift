import Foundation
import Hummingbird
import MailroomCore
import Registry

/// An error answer of the admin API: `{"error": {"code", "message", "field"}}` with its HTTP status.
/// Registry errors map onto it one to one, so the HTTP layer adds no rules of its own.
struct AdminError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    var headers: HTTPFields = [:]

    static let unauthorized = AdminError(
        status: .unauthorized, code: "unauthorized", message: "send Authorization: Bearer <admin token>",
        headers: [.wwwAuthenticate: "Bearer"])
    static let unsupportedMediaType = AdminError(
        status: .unsupportedMediaType, code: "unsupported_media_type", message: "send the body as Content-Type: application/json")
    static let bodyTooLarge = AdminError(
        status: .contentTooLarge, code: "body_too_large", message: "the body is larger than \(JSONBody.limit / 1024) KiB")

    static func notFound(_ what: String) -> AdminError {
        AdminError(status: .notFound, code: "not_found", message: what)
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> AdminError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return AdminError(
            status: .methodNotAllowed, code: "method_not_allowed", message: "\(method.rawValue) is not allowed here; use \(list)",
            headers: [.allow: list])
    }

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    init(_ error: RegistryError) {
        switch error {
        case .malformedRequest: self.init(status: .badRequest, code: "malformed_json", message: error.description)
        case .invalid(let field, _): self.init(status: .unprocessableContent, code: "invalid_field", message: error.description, field: field)
        case .unknownID: self.init(status: .notFound, code: "not_found", message: error.description)
        case .brokenFile, .unresolvedKey, .io: self.init(status: .internalServerError, code: "registry_error", message: error.description)
        }
    }

    var response: Response {
        let error: JSONObject = ["code": .string(code), "message": .string(message), "field": field.map { .string($0) } ?? .null]
        let body: JSONValue = .object(["error": .object(error)])
        var response = Response.json(Data((body.rendered(pretty: false) + "\n").utf8), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension Response {
    /// A JSON response with `data` as its body.
    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
