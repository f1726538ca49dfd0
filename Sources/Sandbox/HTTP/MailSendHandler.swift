import Hummingbird
import MailroomCore
import NIOCore
import ServiceLifecycle

/// `POST /v3/mail/send`: faults, then authentication, encoding, size, validation, and storing what is accepted.
///
/// This is the hot path of every benchmark: no logging, no Foundation, one parse of the body in
/// place, canned bodies for everything but validation errors.
struct MailSendHandler: Sendable {
    /// SendGrid takes bodies under 30 MB.
    static let maximumBodyBytes = MailLimits.maxPayloadBytes

    /// Thrown after the connection was closed on purpose, so nothing is written.
    struct ConnectionDropped: Error {}

    let state: SandboxState

    func handle(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let token = KeyCheck.bearerToken(request.headers[.authorization])
        let fingerprint = token.map(state.fingerprints.fingerprint(of:))
        let decision = state.faults.decide(keyFingerprint: fingerprint)
        if decision.latency != nil || decision.stall != nil || decision.action != .none {
            if let response = try await applyFault(decision, fingerprint: fingerprint, context: context) { return response }
        }
        let response = try await process(request, token: token, fingerprint: fingerprint)
        return response
    }

    /// Waits and misbehaves as decided; returns a response when the fault replaces the answer.
    private func applyFault(_ decision: FaultDecision, fingerprint: String?, context: SandboxRequestContext) async throws -> Response? {
        if let latency = decision.latency { try await Task.sleep(for: latency) }
        if let stall = decision.stall {
            state.stats.recordStall()
            // Shutting down must not wait for a stall meant to outlast a client's timeout.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: stall) }
        }
        switch decision.action {
        case .none:
            return nil
        case .drop:
            state.stats.record(status: 0, keyFingerprint: fingerprint)
            try? await context.channel.close()
            throw ConnectionDropped()
        case .notJSON:
            state.stats.record(status: 500, keyFingerprint: fingerprint)
            return Response(
                status: .internalServerError, headers: [.contentType: "text/html"], body: .init(byteBuffer: CannedResponses.htmlError))
        case .status(let status):
            state.stats.record(status: status, keyFingerprint: fingerprint)
            return CannedResponses.fault(
                status: status, retryAfter: decision.retryAfterSeconds, resetIn: decision.rateLimitResetInSeconds,
                nowSeconds: WallClock.nowNanoseconds() / 1_000_000_000)
        }
    }

    private func process(_ request: Request, token: String?, fingerprint: String?) async throws -> Response {
        switch state.keyCheck.verdict(token: token) {
        case .missing: return answer(401, CannedResponses.authorizationRequired, fingerprint)
        case .malformed: return answer(401, CannedResponses.wrongCredentials, fingerprint)
        case .refused: return answer(401, CannedResponses.grantInvalid, fingerprint)
        case .accepted: break
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length >= Self.maximumBodyBytes {
            return answer(413, CannedResponses.contentTooLarge, fingerprint)
        }
        let gzipped: Bool
        switch ContentEncoding(request.headers[.contentEncoding]) {
        case .identity: gzipped = false
        case .gzip: gzipped = true
        case .unsupported: return answer(415, CannedResponses.unsupportedEncoding, fingerprint)
        }
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodyBytes - 1)
        } catch is NIOTooManyBytesError {
            return answer(413, CannedResponses.contentTooLarge, fingerprint)
        }
        if gzipped {
            switch GzipBody.inflate(body, limit: Self.maximumBodyBytes - 1) {
            case .inflated(let inflated): body = inflated
            case .tooLarge: return answer(413, CannedResponses.contentTooLarge, fingerprint)
            case .badData: return answer(400, CannedResponses.badRequest, fingerprint)
            }
        }
        let receivedAt = WallClock.nowNanoseconds()
        let verdict = body.withUnsafeReadableBytes { raw -> BodyVerdict in
            guard JSONParser.isValidUTF8(raw) else { return .invalidUTF8 }
            guard let tree = try? JSONParser.parse(raw) else { return .notJSON }
            switch MailValidator.validate(tree, now: receivedAt / 1_000_000_000) {
            case .rejected(let errors): return .rejected(errors)
            case .accepted(let mail): return .accepted(mail, MessageSummary(request: tree), String(decoding: raw, as: UTF8.self))
            }
        }
        switch verdict {
        case .invalidUTF8: return answer(400, CannedResponses.invalidUTF8, fingerprint)
        case .notJSON: return answer(400, CannedResponses.badRequest, fingerprint)
        case .rejected(let errors): return answer(400, ByteBuffer(string: SendGridError.body(errors)), fingerprint)
        case .accepted(let mail, let summary, let requestJSON):
            guard state.isVerifiedSender(mail.fromEmail) else { return answer(403, CannedResponses.unverifiedSender, fingerprint) }
            if let batch = summary.batchID, !state.batches.contains(batch) {
                return answer(400, ByteBuffer(string: SendGridError.body([SendGridMessages.batchIDUnknown])), fingerprint)
            }
            return try accept(mail, summary: summary, requestJSON: requestJSON, receivedAt: receivedAt, fingerprint: fingerprint)
        }
    }

    private func accept(_ mail: AcceptedMail, summary: MessageSummary, requestJSON: String, receivedAt: Int, fingerprint: String?) throws
        -> Response
    {
        let id = state.ids.next()
        let record = MessageRecord(
            id: id, receivedAtNanoseconds: receivedAt, keyFingerprint: fingerprint, sandboxMode: mail.sandboxMode,
            recipients: mail.recipients, summary: summary, requestJSON: requestJSON)
        try state.store.add(record)
        let status = mail.sandboxMode ? 200 : 202
        state.stats.record(status: status, keyFingerprint: fingerprint)
        return Response(
            status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8", CannedResponses.messageIDField: id],
            body: .init())
    }

    private func answer(_ status: Int, _ body: ByteBuffer, _ fingerprint: String?) -> Response {
        state.stats.record(status: status, keyFingerprint: fingerprint)
        return CannedResponses.json(status, body)
    }

    private enum BodyVerdict {
        case invalidUTF8
        case notJSON
        case rejected([SendGridError])
        case accepted(AcceptedMail, MessageSummary, String)
    }
}
