import Foundation

/// The one JSON reader: strict RFC 8259, for job files, registry requests and the registry file, and (keeping
/// repeated keys) for bodies read as SendGrid would read them.
///
/// Why not JSONSerialization or JSONDecoder: a job or a config must mean one thing to every reader, so this one
/// refuses what lenient parsers quietly accept (duplicate keys, where parsers disagree on which value wins; lone
/// surrogate escapes; numbers that overflow to infinity), bounds nesting so hostile input cannot exhaust the stack,
/// keeps members in the order they were written, and says where the text went wrong (a byte offset, which
/// `position(of:in:)` turns into a line and column). Input must already be valid UTF-8 (`UTF8Validation`).
public struct JSONReader {
    /// What the reader accepts beyond RFC 8259's grammar.
    public struct Options: Sendable {
        /// Whether an object may repeat a key.
        public var duplicateKeys: DuplicateKeys
        /// Deepest nesting of arrays and objects accepted.
        public var maximumDepth: Int

        public init(duplicateKeys: DuplicateKeys, maximumDepth: Int = 64) {
            self.duplicateKeys = duplicateKeys
            self.maximumDepth = maximumDepth
        }

        /// Repeated keys refused: jobs, registry requests and the registry file.
        public static let strict = Options(duplicateKeys: .refuse)
        /// Repeated keys kept in order, for readers that must see the text as SendGrid does.
        public static let keepingDuplicates = Options(duplicateKeys: .keep)
    }

    public enum DuplicateKeys: Sendable {
        /// A repeated key is an error naming its path.
        case refuse
        /// Every member is kept, in order; `JSONObject`'s subscript finds the first.
        case keep
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The text is not JSON; `offset` is the byte where reading stopped.
        case syntax(String, offset: Int)
        /// An object repeats a key; the path leads from the root to the repeated key.
        case duplicateKey(path: [FieldPath.Component])
    }

    /// Objects with more members than this check for a repeated key with a set instead of a scan.
    private static let scanLimit = 8

    let bytes: UnsafeBufferPointer<UInt8>
    private let options: Options
    /// The byte being read (shared with the scalar readers in `JSONReader+Scalars.swift`).
    var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, options: Options) {
        self.bytes = bytes
        self.options = options
    }

    /// Reads exactly one JSON value, with nothing but white space around it.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, options: Options = .strict) throws(Failure) -> JSONValue {
        var reader = JSONReader(bytes, options: options)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.index < bytes.count {
            throw .syntax("unexpected \(reader.describeCurrent()) after the JSON value", offset: reader.index)
        }
        return value
    }

    /// As `read(_:options:)`, for text whose encoding is not checked yet: bytes that are not UTF-8 are a syntax
    /// error at the first of them.
    public static func read(_ data: some DataProtocol & ContiguousBytes, options: Options = .strict) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let offset = UTF8Validation.firstInvalidOffset(in: bytes) { return .failure(.syntax("invalid UTF-8", offset: offset)) }
            do throws(Failure) {
                return .success(try read(bytes, options: options))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `line L, column C` (1-based; columns count characters) of a byte offset, for messages about where text
    /// stops being valid.
    public static func position(of offset: Int, in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw .syntax("unexpected end of input (truncated?)", offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "/"): throw .syntax("unexpected '/': JSON has no comments", offset: index)
        case UInt8(ascii: "N"), UInt8(ascii: "I"): throw .syntax("unexpected \(describeCurrent()): NaN and Infinity are not JSON", offset: index)
        default: throw .syntax("unexpected \(describeCurrent()) where a value should be", offset: index)
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        if depth > options.maximumDepth { throw .syntax("nested deeper than \(options.maximumDepth) levels", offset: index) }
        index += 1
        var members: [JSONObject.Member] = []
        var keys: Set<String>?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw .syntax("unexpected end of input inside an object (truncated?)", offset: index) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                let hint = bytes[index] == UInt8(ascii: "}") ? " (a trailing comma?)" : ""
                throw .syntax("expected a key in double quotes, found \(describeCurrent())\(hint)", offset: index)
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw .syntax("expected ':' after a key, found \(describeCurrent())", offset: index)
            }
            index += 1
            let member: JSONValue
            do {
                member = try value(depth: depth)
            } catch .duplicateKey(let path) {
                throw .duplicateKey(path: [.key(key)] + path)
            }
            if options.duplicateKeys == .refuse, isRepeated(key, in: members, keys: &keys) {
                throw .duplicateKey(path: [.key(key)])
            }
            members.append(JSONObject.Member(key: key, value: member))
            skipWhitespace()
            guard index < bytes.count else { throw .syntax("unexpected end of input inside an object (truncated?)", offset: index) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(JSONObject(members))
            default: throw .syntax("expected ',' or '}' in an object, found \(describeCurrent())", offset: index)
            }
        }
    }

    /// Whether `key` is already among `members`: a scan while the object is small, then a set built once, so
    /// an object of a hundred thousand keys costs no more than a dictionary would.
    private func isRepeated(_ key: String, in members: [JSONObject.Member], keys: inout Set<String>?) -> Bool {
        if keys == nil {
            if members.count < Self.scanLimit { return members.contains { $0.key == key } }
            keys = Set(members.map(\.key))
        }
        return keys?.insert(key).inserted == false
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        if depth > options.maximumDepth { throw .syntax("nested deeper than \(options.maximumDepth) levels", offset: index) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                throw .syntax("unexpected ']' after ',' (a trailing comma?)", offset: index)
            }
            do {
                elements.append(try value(depth: depth))
            } catch .duplicateKey(let path) {
                throw .duplicateKey(path: [.index(elements.count)] + path)
            }
            skipWhitespace()
            guard index < bytes.count else { throw .syntax("unexpected end of input inside an array (truncated?)", offset: index) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw .syntax("expected ',' or ']' in an array, found \(describeCurrent())", offset: index)
            }
        }
    }
}
