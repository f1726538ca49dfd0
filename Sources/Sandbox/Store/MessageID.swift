import Synchronization

/// `X-Message-Id` values: 22 URL-safe base64 characters (16 bytes), like SendGrid's.
///
/// Each id is a counter run through SplitMix64 with a random per-process key, so ids are unique
/// within a process by construction, look random, and cost no system call.
final class MessageIDGenerator: Sendable {
    private let counter = Atomic<UInt64>(0)
    private let keys: (UInt64, UInt64)

    init() {
        var generator = SystemRandomNumberGenerator()
        keys = (generator.next(), generator.next())
    }

    func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return Self.encode(Self.mix(count ^ keys.0), Self.mix(count &+ keys.1))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url of the 16 bytes, without padding: 21 groups of 6 bits plus 2 final bits.
    private static func encode(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 22) { buffer in
            var bits = high
            for index in 0..<10 {
                buffer[index] = alphabet[Int(bits >> 58)]
                bits <<= 6
            }
            // 4 bits of `high` remain; take 2 from `low` to complete the 11th character.
            buffer[10] = alphabet[Int((high & 0xF) << 2 | low >> 62)]
            bits = low << 2
            for index in 11..<21 {
                buffer[index] = alphabet[Int(bits >> 58)]
                bits <<= 6
            }
            buffer[21] = alphabet[Int((low & 0x3) << 4)]
            return 22
        }
    }
}
