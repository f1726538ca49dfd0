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

    public init(
        apiURL: String = "https://api.sendgrid.com", connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60),
        maxConnections: Int = 16
    ) {
        self.apiURL = apiURL
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxConnections = maxConnections
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
