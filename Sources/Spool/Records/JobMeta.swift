import Foundation
import MailroomCore

/// What the spool knows about a job beyond its bytes, kept in `meta/ID.json` so the job file itself stays
/// byte-identical to what the app published. A job that was never deferred, held or failed has none:
/// its attempts are 0 and it was first queued when its file was written (its mtime).
///
/// The file is keyed by ID, not by state, so a state move is still a single rename of the job file. It is the
/// worker's own file: the job file may belong to the application that wrote it, and is never changed.
struct JobMeta: Codable, Sendable, Equatable {
    /// Send attempts made so far.
    var attempts: Int
    /// When the job first entered the spool (ISO 8601), for the retry lifetime and `list`'s age.
    var firstQueuedAt: String
    /// The error of the last attempt, if any.
    var lastError: String?
    /// `operator` (mailroom hold) or `worker` (its integration could not be used).
    var heldBy: String?
    /// The integration the worker held the job for (0: the job named none).
    var integration: Int?
    /// Why it is held.
    var heldReason: String?
    /// When it was held (ISO 8601).
    var heldAt: String?
    /// When a deferred job is due (ISO 8601), for people reading the file; the spool reads the due time from
    /// the record's modification time.
    var dueAt: String?

    enum CodingKeys: String, CodingKey {
        case attempts
        case firstQueuedAt = "first_queued_at"
        case lastError = "last_error"
        case heldBy = "held_by"
        case integration
        case heldReason = "held_reason"
        case heldAt = "held_at"
        case dueAt = "due_at"
    }

    init(attempts: Int, firstQueuedAt: Date, lastError: String?) {
        self.attempts = attempts
        self.firstQueuedAt = Timestamps.format(firstQueuedAt)
        self.lastError = lastError
    }

    var firstQueuedDate: Date? { Timestamps.parse(firstQueuedAt) }
}

/// The small record kept in `sent/ID.json` once SendGrid accepted a job: enough for 7 days of duplicate
/// detection and for `show`, never the body.
struct SentRecord: Codable, Sendable {
    var id: String
    var sentAt: String
    var messageID: String?
    var attempts: Int

    enum CodingKeys: String, CodingKey {
        case id
        case sentAt = "sent_at"
        case messageID = "message_id"
        case attempts
    }

    /// The record as `RecordCoding.encode` would write it (sorted keys, a newline), written by hand: one per sent job.
    var encoded: Data {
        var writer = JSONWriter(reservingCapacity: 160)
        writer.beginObject()
        writer.member(CodingKeys.attempts.stringValue, attempts)
        writer.member(CodingKeys.id.stringValue, id)
        writer.memberIfPresent(CodingKeys.messageID.stringValue, messageID)
        writer.member(CodingKeys.sentAt.stringValue, sentAt)
        writer.endObject()
        var data = Data(writer.bytes)
        data.append(0x0A)
        return data
    }
}

/// `failed/ID.reason.json`: why a job failed for good.
struct ReasonRecord: Codable, Sendable {
    var reason: String
    var field: String?
    var attempts: Int
    var httpStatus: Int?
    var time: String
    var details: JSONValue?
    /// For entries that were not named `ID.json`: the name they had in `new/`.
    var originalName: String?
    /// Set when the entry was never a job file (symlink, FIFO, bad name, …): it must never be sent.
    var unsafe: Bool?

    enum CodingKeys: String, CodingKey {
        case reason, field, attempts
        case httpStatus = "http_status"
        case time, details
        case originalName = "original_name"
        case unsafe
    }
}

/// Encoding and decoding of the spool's own small JSON records.
enum RecordCoding {
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ data: Data) -> Value? {
        try? JSONDecoder().decode(type, from: data)
    }
}
