import Foundation
import MailroomCore

/// One line of the delivery log (docs/delivery-log.md): what happened to a job, when, and why.
///
/// Never carries the API key or the message body: only counts, ids, statuses and error text
/// that the worker composed itself or SendGrid returned.
public struct DeliveryEvent: Sendable, Codable, Equatable {
    /// The outcomes ops read in the log.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case sent, deferred, failed, held, duplicate, requeued, deleted
    }

    public var ts: String
    public var job: String
    public var event: Kind
    public var attempt: Int?
    public var integration: Int?
    public var environment: String?
    public var recipients: Int?
    public var httpStatus: Int?
    public var messageID: String?
    public var durationMS: Int?
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case ts, job, event, attempt, integration, environment, recipients
        case httpStatus = "http_status"
        case messageID = "message_id"
        case durationMS = "duration_ms"
        case error
    }

    public init(
        job: String, event: Kind, at date: Date = Date(), attempt: Int? = nil, integration: Int? = nil,
        environment: DeliveryEnvironment? = nil, recipients: Int? = nil, httpStatus: Int? = nil,
        messageID: String? = nil, duration: Duration? = nil, error: String? = nil
    ) {
        self.ts = Timestamps.format(date)
        self.job = job
        self.event = event
        self.attempt = attempt
        self.integration = integration
        self.environment = environment?.rawValue
        self.recipients = recipients
        self.httpStatus = httpStatus
        self.messageID = messageID
        self.durationMS = duration.map { Int(($0.seconds * 1000).rounded()) }
        self.error = error
    }

    /// The event as one log line: a JSON object with sorted keys, nil fields left out, and a newline.
    /// Written by hand because it is written for every job (several times cheaper than `JSONEncoder`).
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256)
        writer.beginObject()
        writer.memberIfPresent(CodingKeys.attempt.stringValue, attempt)
        writer.memberIfPresent(CodingKeys.durationMS.stringValue, durationMS)
        writer.memberIfPresent(CodingKeys.environment.stringValue, environment)
        writer.memberIfPresent(CodingKeys.error.stringValue, error)
        writer.member(CodingKeys.event.stringValue, event.rawValue)
        writer.memberIfPresent(CodingKeys.httpStatus.stringValue, httpStatus)
        writer.memberIfPresent(CodingKeys.integration.stringValue, integration)
        writer.member(CodingKeys.job.stringValue, job)
        writer.memberIfPresent(CodingKeys.messageID.stringValue, messageID)
        writer.memberIfPresent(CodingKeys.recipients.stringValue, recipients)
        writer.member(CodingKeys.ts.stringValue, ts)
        writer.endObject()
        var line = writer.bytes
        line.append(0x0A)
        return line
    }

    /// The time of the event, parsed back from `ts`.
    public var date: Date? { Timestamps.parse(ts) }
}
