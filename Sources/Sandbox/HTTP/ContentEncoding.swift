/// A Mail Send request's `Content-Encoding`: SendGrid's OpenAPI document allows only `gzip`, and
/// anything else is refused with a 415 rather than parsed as JSON and answered with a puzzling 400.
enum ContentEncoding: Equatable {
    case identity
    case gzip
    case unsupported

    init(_ header: String?) {
        guard let header else {
            self = .identity
            return
        }
        switch String(header.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased() {
        case "gzip": self = .gzip
        default: self = .unsupported
        }
    }
}
