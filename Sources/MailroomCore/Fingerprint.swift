import Crypto

/// Short, one-way fingerprints of secrets: a SHA-256 prefix, never a slice of the secret.
public enum Fingerprint {
    /// `sha256:` followed by the first 12 hex digits of the SHA-256 of `secret`.
    public static func of(_ secret: String) -> String {
        "sha256:" + sha256Hex(secret).prefix(12)
    }

    /// The full SHA-256 of `text`'s UTF-8 bytes, as lowercase hex (swift-crypto: BoringSSL's
    /// implementation, built with the package, so no system crypto library is linked or needed).
    public static func sha256Hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
