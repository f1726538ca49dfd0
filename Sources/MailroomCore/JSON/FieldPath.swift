/// Builds the JSON paths that name a field in errors (`to[2].email`, `headers.X-Foo`, `data.from_email`) for jobs
/// and registry requests alike, and quotes values for messages, always on one line and at a bounded length,
/// whatever the input holds.
public enum FieldPath {
    public enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// `parent.key`, or just `key` at the top level. Keys other than letters, digits, `_` and `-` are written
    /// `parent["key"]`, escaped like JSON and cut short if long, so a hostile key cannot break the error line.
    public static func key(_ parent: String, _ key: String) -> String {
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
    public static func index(_ parent: String, _ index: Int) -> String {
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

    /// The path of `components` from the root; `root` names the root itself (an empty path).
    public static func render(_ components: [Component], root: String = "job") -> String {
        var path = ""
        for component in components {
            switch component {
            case .key(let name): path = key(path, name)
            case .index(let position): path = index(path, position)
            }
        }
        return path.isEmpty ? root : path
    }

    /// A JSON number as it was most likely written: `105`, `1.5`, `-1`.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// `text` in double quotes with JSON escapes for quotes, backslashes and control characters (C1 and the line
    /// separators too: it goes into a message); once the quoted text reaches `limit` UTF-8 bytes it is cut and ends
    /// in `…`, so a name of control characters or of four-byte characters cannot grow a message several-fold.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        JSONEscaping.quoted(text, style: .message, limit: limit)
    }
}
