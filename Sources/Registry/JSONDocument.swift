import Foundation
import MailroomCore

/// Parsing JSON text with an error that says where the problem is (line and column), which
/// `JSONDecoder` does not report; the position comes from `JSONSerialization`'s character offset.
enum JSONDocument {
    /// Where a JSON text stops being valid; line and column are 1-based, 0 when unknown.
    struct SyntaxError: Error {
        var line: Int
        var column: Int

        var position: String { line > 0 ? "line \(line), column \(column)" : "an unknown position" }
    }

    static func parse(_ data: Data) throws(SyntaxError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw position(in: data)
        }
    }

    /// Finds the offset `JSONSerialization` reports ("around character N"; the end of the text when
    /// it ran out) and turns it into a line and column. Only the numbers are kept: the parser's own
    /// message may quote the text, and the text may hold a key.
    private static func position(in data: Data) -> SyntaxError {
        let offset: Int
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return SyntaxError(line: 0, column: 0)
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            if let range = message.range(of: "character "),
                let number = Int(message[range.upperBound...].prefix(while: \.isNumber))
            {
                offset = number
            } else {
                offset = data.count
            }
        }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SyntaxError(line: line, column: column)
    }
}
