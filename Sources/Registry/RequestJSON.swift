import Foundation
import MailroomCore

/// Reading a create or update request, or the registry file, with the strict reader jobs go through: a config
/// must mean one thing to every reader, so a key given twice (`{"data": {"api_key": …, "api_key": …}}`, where
/// readers disagree on which one wins) is refused naming its path, like any other rule a request breaks.
enum RequestJSON {
    /// Where and why `data` is not one JSON value.
    enum Problem: Error {
        /// Not JSON at all, at a 1-based line and column.
        case malformed(line: Int, column: Int)
        /// An object repeats a key; `field` is its path, shown as error messages show names (`Echo`).
        case duplicateKey(field: String)

        /// The message for a repeated key, the same words a job's gets.
        static let duplicateMessage = "appears twice in the same object"
    }

    static func parse(_ data: Data) throws(Problem) -> JSONValue {
        // A UTF-8 byte order mark, which editors on some systems write, was always accepted here.
        let text = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        do throws(JSONReader.Failure) {
            return try JSONReader.read(text, options: .strict)
        } catch {
            switch error {
            case .syntax(_, let offset):
                // Only the position is kept: the reader's message may quote the text, and the text may hold a key.
                let (line, column) = JSONReader.position(of: offset, in: text)
                throw .malformed(line: line, column: column)
            case .duplicateKey(let path): throw .duplicateKey(field: Echo.path(path))
            }
        }
    }
}
