import Foundation
import MailroomCore

/// The bearer token every admin request must carry. Only its SHA-256 is kept, so the value cannot
/// be printed by accident, and a presented token is checked by comparing digests in constant time.
public struct AdminToken: Sendable, CustomStringConvertible {
    private let digest: [UInt8]

    public init(_ token: String) {
        digest = Array(Fingerprint.sha256Hex(token).utf8)
    }

    /// Whether `candidate` is the token. Takes the same time wherever the first difference is.
    public func matches(_ candidate: some StringProtocol) -> Bool {
        let other = Array(Fingerprint.sha256Hex(String(candidate)).utf8)
        guard other.count == digest.count else { return false }
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ other[index] }
        return difference == 0
    }

    public var description: String { "AdminToken(redacted)" }

    /// The token from `--admin-token-file` (surrounding white space ignored) when given, else from
    /// `MAILROOM_ADMIN_TOKEN`. Without one the server must not start: exit 78, saying how to give one.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AdminToken {
        let token: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PlainFailure(.configuration, "cannot read admin token file \(file)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw PlainFailure(.configuration, "admin token file \(file) is empty") }
        } else {
            token = environment["MAILROOM_ADMIN_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !token.isEmpty else {
                throw PlainFailure(.configuration, "no admin token: set MAILROOM_ADMIN_TOKEN or pass --admin-token-file FILE")
            }
        }
        return AdminToken(token)
    }
}
