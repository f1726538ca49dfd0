/// Who can reach a sandbox, and the flags that size what it keeps: a sandbox bound beyond
/// loopback without a token lets anyone on the network read the captured mail, so the command
/// says so at start-up.
public enum SandboxExposure {
    /// True for addresses only this host can reach: 127.0.0.0/8, ::1 and `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The start-up warning for a non-loopback bind without a token.
    public static func warning(host: String) -> String {
        "the sandbox listens on \(host), beyond this host, without a token: anyone who can reach it reads the captured mail "
            + "and can delete it or change its faults. Set --token (or MAILROOM_SANDBOX_TOKEN), or listen on 127.0.0.1."
    }

    /// `256M`, `64K`, `1G` (powers of 1024) or a plain byte count; nil when not a size or too large.
    public static func parseBytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text.uppercased())
        var unit = 1
        if let last = digits.last, let scale = units[last] {
            unit = scale
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let number = Int(digits) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? nil : product
    }
}
