import HTTPTypes
import Hummingbird
import NIOCore

/// Response bodies SendGrid sends for everything but validation errors, encoded once.
enum CannedResponses {
    static let messageIDField = HTTPField.Name("X-Message-Id")!
    static let retryAfterField = HTTPField.Name("Retry-After")!
    static let rateLimitResetField = HTTPField.Name("X-RateLimit-Reset")!

    static let authorizationRequired = errorBody(message: "authorization required")
    static let wrongCredentials = errorBody(message: "Permission denied, wrong credentials")
    static let grantInvalid = errorBody(message: "The provided authorization grant is invalid, expired, or revoked")
    static let unverifiedSender = buffer(
        "{\"errors\":[{\"field\":\"from\",\"message\":\"The from address does not match a verified Sender Identity. Mail cannot be sent "
            + "until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the "
            + "Sender Identity requirements\",\"help\":null}]}")
    static let contentTooLarge = errorBody(message: "content too large")
    static let tooManyRequests = buffer("{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}")
    static let notFound = errorBody(message: "not found")
    static let methodNotAllowed = errorBody(message: "method not allowed")
    static let unsupportedEncoding = errorBody(message: "unsupported Content-Encoding: only gzip is accepted")
    static let badRequest = buffer(SendGridError.body([SendGridMessages.badRequest]))
    static let invalidUTF8 = buffer(SendGridError.body([SendGridMessages.invalidUTF8]))
    static let htmlError = buffer(
        "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

    static func errorBody(message: String) -> ByteBuffer {
        buffer("{\"errors\":[{\"field\":null,\"message\":\(JSONText.quoted(message)),\"help\":null}]}")
    }

    static func buffer(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }

    static func json(_ status: Int, _ body: ByteBuffer) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func json(_ status: Int, _ text: String) -> Response {
        json(status, ByteBuffer(string: text))
    }

    /// The answer to a fault-injected status: SendGrid's body for 400/401/403/413/429, a JSON
    /// error naming the status for the rest.
    static func fault(status: Int, retryAfter: Int?, resetIn: Int?, nowSeconds: Int) -> Response {
        switch status {
        case 400: return json(status, badRequest)
        case 401: return json(status, grantInvalid)
        case 403: return json(status, unverifiedSender)
        case 404: return json(status, notFound)
        case 405: return json(status, methodNotAllowed)
        case 413: return json(status, contentTooLarge)
        case 429:
            var response = json(status, tooManyRequests)
            if let retryAfter { response.headers[retryAfterField] = String(retryAfter) }
            if let resetIn { response.headers[rateLimitResetField] = String(nowSeconds + resetIn) }
            return response
        default:
            return json(status, errorBody(message: reason(status)))
        }
    }

    /// SendGrid-style lowercase reason for a status ("internal server error").
    static func reason(_ status: Int) -> String {
        switch status {
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: HTTPResponse.Status(code: status).reasonPhrase.lowercased()
        }
    }
}
