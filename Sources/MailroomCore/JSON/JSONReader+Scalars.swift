/// The scalars of JSON text (strings and their escapes, numbers, literals) and the small cursor helpers, in their
/// own file so the structure of the reader (values, objects, arrays) reads on one screen.
extension JSONReader {
    /// Reads a string starting at its opening quote. Plain runs are copied in one go; escapes take the slow path.
    mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw .syntax("unescaped control character \(describeCurrent()) in a string", offset: index) }
            index += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &buffer)
            case 0..<0x20:
                throw .syntax("unescaped control character \(describeCurrent()) in a string", offset: index)
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw .syntax("unexpected end of input inside a string (truncated?)", offset: index)
    }

    private mutating func escape(into buffer: inout [UInt8]) throws(Failure) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw .syntax("unexpected end of input inside a string (truncated?)", offset: index) }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeStart: escapeStart)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw .syntax("lone surrogate \\u escape in a string", offset: escapeStart)
                }
                index += 2
                let low = try hex4(escapeStart: escapeStart)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw .syntax("lone surrogate \\u escape in a string", offset: escapeStart) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw .syntax("lone surrogate \\u escape in a string", offset: escapeStart)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .syntax("invalid \\u escape in a string", offset: escapeStart) }
            UTF8.encode(unicode) { buffer.append($0) }
        default:
            throw .syntax("invalid escape: \\ followed by \(describe(letter)) in a string", offset: escapeStart)
        }
    }

    private mutating func hex4(escapeStart: Int) throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .syntax("unexpected end of input inside a \\u escape", offset: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .syntax("invalid \\u escape in a string (four hex digits expected)", offset: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Reads a number by RFC 8259's grammar (no leading zeros, no '+', no bare '.'), refusing overflow to infinity.
    mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        skipDigits()
        let integerDigits = index - integerStart
        if integerDigits == 0 { throw .syntax("invalid number: a digit must follow '-'", offset: start) }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            throw .syntax("invalid number: leading zeros are not allowed", offset: start)
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fractionStart = index
            skipDigits()
            if index == fractionStart { throw .syntax("invalid number: a digit must follow '.'", offset: start) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            skipDigits()
            if index == exponentStart { throw .syntax("invalid number: a digit must follow the exponent", offset: start) }
        }
        if isInteger && integerDigits <= 15 {
            var value = 0
            for position in integerStart..<index { value = value * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
            return .number(Double(start == integerStart ? value : -value))
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .syntax("number \(text.prefix(40)) is out of range", offset: start) }
        return .number(value)
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            UnsafeBufferPointer(rebasing: bytes[index..<index + length]).elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: length))
        else {
            throw .syntax("unexpected \(describeCurrent()) where a value should be", offset: index)
        }
        index += length
        return value
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// The byte at the current position, or `end of input`.
    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        return describe(bytes[index])
    }

    /// A byte as a person would name it, never a raw control character: `'x'`, `"'"`, or `byte 0x0A`.
    func describe(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return "\"'\" (JSON takes double quotes)" }
        if byte >= 0x21 && byte <= 0x7E { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(byte < 16 ? "0" : "")\(hex)"
    }
}
