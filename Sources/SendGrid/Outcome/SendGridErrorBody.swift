import Foundation
import MailroomCore

/// Reads SendGrid's error bodies: `{"errors":[{"message":…,"field":…}]}`, the bare
/// `{"message":…,"field":…}` seen on malformed requests, or anything else a proxy may answer.
enum SendGridErrorBody {
    /// Longest message kept from one error, and most errors kept: reasons stay one readable line.
    static let maximumMessageLength = 500
    static let maximumErrors = 20

    /// The errors in `body`; never empty (a body without any becomes one detail saying so).
    /// Messages do not repeat the HTTP status: every outcome carries it already.
    static func details(from body: [UInt8]) -> [SendGridErrorDetail] {
        if let parsed = parse(body), !parsed.isEmpty { return parsed }
        let text = clean(String(decoding: body.prefix(200), as: UTF8.self))
        if text.isEmpty { return [SendGridErrorDetail(message: "no error details in the response")] }
        return [SendGridErrorDetail(message: "the response is not SendGrid's error JSON: \(text)")]
    }

    /// The first error (`field: message`), for outcomes that carry one line (401, 403, 5xx).
    static func firstMessage(from body: [UInt8]) -> String {
        details(from: body)[0].description
    }

    private static func parse(_ body: [UInt8]) -> [SendGridErrorDetail]? {
        guard !body.isEmpty, let value = try? JSONReader.read(body, options: .keepingDuplicates) else { return nil }
        if let errors = value["errors"]?.arrayValue {
            return errors.prefix(maximumErrors).compactMap(detail(from:))
        }
        return detail(from: value).map { [$0] }
    }

    private static func detail(from value: JSONValue) -> SendGridErrorDetail? {
        guard let message = value["message"]?.stringValue else { return nil }
        let field = value["field"]?.stringValue.map(clean)
        return SendGridErrorDetail(message: clean(message), field: field?.isEmpty == true ? nil : field)
    }

    /// One line: control characters become spaces, and the text is cut to a readable length.
    static func clean(_ text: String) -> String {
        // Already one short line of visible ASCII (a message ID): nothing to replace, cut or trim.
        if text.utf8.count <= maximumMessageLength, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(maximumMessageLength) {
            scalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }
}
