/// How the client reaches SendGrid.
public struct SendGridClientConfiguration: Sendable {
    /// Scheme, host and optional port (and path prefix) of the API; `/v3/mail/send` is appended.
    public var apiURL: String
    /// Limit on DNS + TCP + TLS set-up of a new connection.
    public var connectTimeout: Duration
    /// Limit on a whole request, time spent waiting for a free connection included.
    public var totalTimeout: Duration
    /// Most connections open to the API at once; more concurrent sends wait for a free one.
    public var maxConnections: Int
    /// PEM file of the certificate authorities to trust instead of the system's (`--ca-file`), for
    /// a proxy or test endpoint with its own CA; nil trusts the system bundle.
    public var caFile: String?
    /// Allows `http://` to hosts other than loopback. Off by default: the Bearer key would cross
    /// the network in clear text.
    public var allowInsecureHTTP: Bool

    public init(
        apiURL: String = "https://api.sendgrid.com", connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60),
        maxConnections: Int = 16, caFile: String? = nil, allowInsecureHTTP: Bool = false
    ) {
        self.apiURL = apiURL
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxConnections = maxConnections
        self.caFile = caFile
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    /// The full Mail Send URL.
    public var mailSendURL: String {
        var base = apiURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v3/mail/send"
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive duration never becomes 0 (curl's "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return Int(millis) + (remainder > 0 ? 1 : 0)
    }
}
