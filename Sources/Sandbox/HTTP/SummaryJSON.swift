/// The inbox page's view of messages: `GET /messages?view=summary&limit=N` and
/// `GET /messages/{id}/summary`. Small objects (no bodies, no attachments), so a page of the list
/// costs a few kilobytes however large the messages are.
enum SummaryJSON {
    /// `{"messages":[…],"next_before":…,"stored":{"count":…,"bytes":…,"max_messages":…,"max_bytes":…,"generation":…}}`
    static func page(_ page: MessageStore.Page, store: MessageStore, batches: BatchRegistry, now: Int) -> String {
        let census = store.census()
        var text = "{\"messages\":["
        text += page.records.map { record($0, batches: batches, now: now) }.joined(separator: ",")
        text += "],\"next_before\":" + JSONText.quotedOrNull(page.nextBefore)
        text += ",\"stored\":{\"count\":\(census.count),\"bytes\":\(census.bytes),\"max_messages\":\(store.capacity)"
        text += ",\"max_bytes\":\(store.maximumBytes),\"generation\":\(census.generation)}}"
        return text
    }

    static func record(_ record: MessageRecord, batches: BatchRegistry, now: Int) -> String {
        let summary = record.summary
        var text = "{\"id\":\"\(record.id)\",\"received_at\":\"\(WallClock.iso8601(nanoseconds: record.receivedAtNanoseconds))\""
        text += ",\"key_fingerprint\":" + JSONText.quotedOrNull(record.keyFingerprint)
        text += ",\"sandbox_mode\":" + (record.sandboxMode ? "true" : "false")
        text += ",\"to\":" + JSONText.quotedOrNull(summary.firstRecipient)
        text += ",\"to_count\":\(summary.toCount),\"cc_count\":\(summary.ccCount),\"bcc_count\":\(summary.bccCount)"
        text += ",\"subject\":" + JSONText.quotedOrNull(summary.subject)
        text += ",\"template_id\":" + JSONText.quotedOrNull(summary.templateID)
        text += ",\"categories\":[" + summary.categories.map(JSONText.quoted).joined(separator: ",") + "]"
        text += ",\"batch_id\":" + JSONText.quotedOrNull(summary.batchID)
        text += ",\"send_at\":" + (summary.sendAt.map(String.init) ?? "null")
        text += ",\"schedule\":" + JSONText.quotedOrNull(schedule(summary, batches: batches, now: now))
        text += ",\"attachments\":\(summary.attachmentCount),\"bytes\":\(record.byteCount)}"
        return text
    }

    /// "cancelled" or "paused" when the message's batch has that hold, "scheduled" while its
    /// `send_at` is ahead, nil for a message SendGrid would have sent at once.
    static func schedule(_ summary: MessageSummary, batches: BatchRegistry, now: Int) -> String? {
        if let batch = summary.batchID, let hold = batches.hold(of: batch) { return hold == .cancel ? "cancelled" : "paused" }
        if let sendAt = summary.sendAt, sendAt > now / 1_000_000_000 { return "scheduled" }
        return nil
    }
}
