import Foundation
import MailroomCore
import Spool

/// A job as one JSON object: a `list --json` line, which `show --json` extends with the job's history.
enum JobJSON {
    /// The members, in a fixed order. The first eight keys are always present (null when unknown); the rest only
    /// when they apply. Readers should ignore unknown keys.
    static func members(_ entry: SpoolEntry, now: Date) -> JSONObject {
        var members: JSONObject = [
            "id": .string(entry.id),
            "state": .string(entry.state.rawValue),
            "attempts": .int(entry.attempts),
            "queued_at": entry.queuedAt.map { .string(Timestamps.format($0)) } ?? .null,
            "age_seconds": entry.queuedAt.map { .int(max(0, Int(now.timeIntervalSince($0)))) } ?? .null,
            "next_retry_at": entry.nextAttemptAt.map { .string(Timestamps.format($0)) } ?? .null,
            "recipients": entry.recipients.map { .int($0) } ?? .null,
            "last_error": entry.lastError.map { .string($0) } ?? .null,
        ]
        if let size = entry.size { members.append("size", .int(size)) }
        if let heldBy = entry.heldBy { members.append("held_by", .string(heldBy)) }
        if let integration = entry.integration { members.append("integration", .int(integration)) }
        if let worker = entry.worker { members.append("worker", .string(worker)) }
        if let field = entry.field { members.append("field", .string(field)) }
        if let status = entry.httpStatus { members.append("http_status", .int(status)) }
        if let sentAt = entry.sentAt { members.append("sent_at", .string(Timestamps.format(sentAt))) }
        if let messageID = entry.messageID { members.append("message_id", .string(messageID)) }
        if entry.unsafe { members.append("unsafe", .bool(true)) }
        return members
    }
}
