import Foundation

/// The checks on a job file as a whole, before any field is looked at: size, encoding, JSON syntax, shape.
/// All of them name the field `job`, except a repeated key, which is named by its path.
extension JobParser {
    /// The file as a JSON object, after the checks on the file as a whole: size, encoding, syntax, shape.
    static func document(_ data: Data) throws(JobValidationError) -> JSONObject {
        if data.isEmpty { throw JobValidationError(field: "job", "the file is empty") }
        if data.count > maximumSize {
            throw JobValidationError(field: "job", "the file is \(data.count) bytes; at most \(maximumSize) (20 MiB)")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw JobValidationError(field: "job", "the file holds only white space")
        }
        let result: Result<JSONValue, JobValidationError> = data.withUnsafeBytes {
            (raw: UnsafeRawBufferPointer) -> Result<JSONValue, JobValidationError> in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let problem = encodingProblem(bytes) { return .failure(JobValidationError(field: "job", problem)) }
            do throws(JSONReader.Failure) {
                return .success(try JSONReader.read(bytes, options: .strict))
            } catch {
                switch error {
                case .syntax(let message, let offset):
                    return .failure(JobValidationError(field: "job", "malformed JSON at \(position(of: offset, in: bytes)): \(message)"))
                case .duplicateKey(let path):
                    return .failure(JobValidationError(field: FieldPath.render(path), "appears twice in the same object"))
                }
            }
        }
        let root = try result.get()
        guard case .object(let object) = root else {
            throw JobValidationError(field: "job", "must be a JSON object, got \(root.typeName)")
        }
        return object
    }

    /// Byte order marks, UTF-16 and invalid UTF-8, described so the author knows how to save the file instead.
    private static func encodingProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return "starts with a UTF-8 byte order mark (BOM); save the file as UTF-8 without one"
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return "is UTF-16 (it starts with a byte order mark); job files must be UTF-8"
        }
        if bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0) {
            return "has NUL bytes at its start (UTF-16 or UTF-32?); job files must be UTF-8"
        }
        if let offset = UTF8Validation.firstInvalidOffset(in: bytes) {
            return "is not valid UTF-8: bad byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at \(position(of: offset, in: bytes))"
        }
        return nil
    }

    /// `line L, column C` (columns count characters, from 1) for a byte offset, for syntax errors.
    private static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let (line, column) = JSONReader.position(of: offset, in: bytes)
        return "line \(line), column \(column)"
    }
}
