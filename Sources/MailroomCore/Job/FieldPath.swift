/// Builds the JSON paths that name a job's fields in errors (`to[2].email`, `headers.X-Foo`, `custom_args.booking`)
/// and quotes values for messages, always on one line and at a bounded length, whatever the input holds.
enum FieldPath {
    enum Component {
        case key(String)
        case index(Int)
    }

    /// `parent.key`, or just `key` at the top level. Keys other than letters, digits, `_` and `-` are written
    /// `parent["key"]`, escaped like JSON and cut short if long, so a hostile key cannot break the error line.
    static func key(_ parent: String, _ key: String) -> String {
        let simple =
            !key.utf8.isEmpty && key.utf8.count <= 100
            && key.utf8.allSatisfy { byte in
                (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
        if simple { return capped(parent.isEmpty ? key : parent + "." + key) }
        return capped(parent + "[" + quoted(key, limit: 100) + "]")
    }

    /// `parent[index]`.
    static func index(_ parent: String, _ index: Int) -> String {
        capped(parent + "[" + String(index) + "]")
    }

    /// Longest path written out, in UTF-8 bytes: a deeper or longer one keeps its end (the most specific part).
    static let maximumPathBytes = 200

    /// `path`, or `…` and its last `maximumPathBytes` bytes' worth of whole characters when it is longer.
    static func capped(_ path: String) -> String {
        guard path.utf8.count > maximumPathBytes else { return path }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in path.unicodeScalars.reversed() {
            bytes += String(scalar).utf8.count
            if bytes > maximumPathBytes - 3 { break }
            kept.append(scalar)
        }
        return "…" + String(String.UnicodeScalarView(kept.reversed()))
    }

    /// The path of `components` from the root of the job.
    static func render(_ components: [Component]) -> String {
        var path = ""
        for component in components {
            switch component {
            case .key(let name): path = key(path, name)
            case .index(let position): path = index(path, position)
            }
        }
        return path.isEmpty ? "job" : path
    }

    /// A JSON number as it was most likely written: `105`, `1.5`, `-1`.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// `text` in double quotes with JSON escapes for quotes, backslashes and control characters; once the quoted
    /// text reaches `limit` UTF-8 bytes (escapes counted as written, so a name of control characters or of
    /// four-byte characters cannot grow a message several-fold) it is cut and ends in `…`.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            if result.utf8.count > limit {
                result += "…"
                break
            }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
