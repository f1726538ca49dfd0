/// The parts of SendGrid's final HTTP response that decide the outcome.
///
/// Headers are those of the last response only (an interim `100 Continue` is forgotten), and
/// `body` is capped (`maximumBodySize`), since only error bodies are read and they are small.
struct HTTPAnswer: Sendable, Equatable {
    /// The most body bytes kept; the rest is read and dropped.
    static let maximumBodySize = 64 * 1024

    var status: Int
    var messageID: String?
    var retryAfter: String?
    var rateLimitReset: String?
    var location: String?
    var body: [UInt8]

    init(
        status: Int, messageID: String? = nil, retryAfter: String? = nil, rateLimitReset: String? = nil, location: String? = nil,
        body: [UInt8] = []
    ) {
        self.status = status
        self.messageID = messageID
        self.retryAfter = retryAfter
        self.rateLimitReset = rateLimitReset
        self.location = location
        self.body = body
    }
}
