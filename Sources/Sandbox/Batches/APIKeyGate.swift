import Hummingbird

/// The API-key check of SendGrid's other v3 routes (`/v3/mail/batch`, `/v3/user/scheduled_sends`):
/// the same three 401 answers as Mail Send, so a client sees one behaviour across the API.
extension SandboxState {
    /// The 401 to answer, or nil when the request carries an accepted key.
    func refusal(for request: Request) -> Response? {
        switch keyCheck.verdict(token: KeyCheck.bearerToken(request.headers[.authorization])) {
        case .missing: CannedResponses.json(401, CannedResponses.authorizationRequired)
        case .malformed: CannedResponses.json(401, CannedResponses.wrongCredentials)
        case .refused: CannedResponses.json(401, CannedResponses.grantInvalid)
        case .accepted: nil
        }
    }
}
