import MailroomCore

/// Where a config's SendGrid key comes from: the key itself, or a reference resolved each time a
/// worker loads the registry, so that the registry file need not hold the secret at all.
///
/// Printed forms are safe: a literal key prints as its fingerprint (through `APIKey`), and a
/// reference prints as its own text (`env:NAME`, `file:/path`), which names a place, not a secret.
public enum KeyReference: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key, stored in the registry file (mode 0600).
    case literal(APIKey)
    /// `env:NAME`: the key is the value of the environment variable NAME.
    case environment(String)
    /// `file:/path`: the key is the content of the file (surrounding white space ignored).
    case file(String)

    /// Parses the text of `data.api_key`. Errors name `field` and never quote the text.
    public init(parsing text: String, field: String = "data.api_key") throws(RegistryError) {
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            guard Self.isVariableName(name) else {
                throw .invalid(field: field, message: "env: must be followed by a variable name (letters, digits and _, not starting with a digit)")
            }
            self = .environment(name)
        } else if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/"), !path.unicodeScalars.contains(where: Self.isControl) else {
                throw .invalid(field: field, message: "file: must be followed by an absolute path without control characters")
            }
            self = .file(path)
        } else {
            if let problem = Self.problem(withKey: text) { throw .invalid(field: field, message: problem) }
            self = .literal(APIKey(text))
        }
    }

    /// What is wrong with `key` as a SendGrid key, in words that never quote it; nil if it looks right.
    public static func problem(withKey key: String) -> String? {
        if key.unicodeScalars.contains(where: { $0.properties.isWhitespace || isControl($0) }) {
            return "contains white space or a control character"
        }
        guard key.hasPrefix("SG."), key.utf8.count > 3 else {
            return "must be a SendGrid key starting with SG., or a reference env:NAME or file:/path"
        }
        guard key.utf8.count <= 512 else { return "is longer than 512 characters" }
        return nil
    }

    /// For `list`: a short hash of a literal key (`sha256:` and 12 hex digits, never a slice of
    /// the key), or the reference text as is, since a reference is not a secret.
    public var fingerprint: String {
        switch self {
        case .literal(let key): key.fingerprint
        case .environment, .file: description
        }
    }

    /// The reference as people read it (errors, `list`): a variable name or a path that holds something
    /// shaped like a key (a key pasted where its path belongs) is not shown.
    public var description: String {
        switch self {
        case .literal(let key): key.description
        case .environment(let name): "env:" + Echo.reference(name)
        case .file(let path): "file:" + Echo.reference(path)
        }
    }

    public var debugDescription: String { description }

    /// The text written to the registry file: the key itself for a literal. Registry-internal.
    var storedText: String {
        switch self {
        case .literal(let key): key.secret
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }
}
