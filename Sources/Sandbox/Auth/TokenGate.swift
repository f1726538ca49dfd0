import Hummingbird

/// Which requests need the sandbox token, and whether one carries it.
///
/// Mail Send and SendGrid's other `/v3/` routes keep their API-key check (a worker must not need a
/// second secret); `/healthz`, the sign-in page and the page's static assets are open; everything
/// else (the inbox page, `/messages`, `/faults`, `/stats`) needs `Authorization: Bearer TOKEN` or
/// the cookie the sign-in page sets.
enum TokenGate {
    static let cookieName = "mailroom_sandbox_token"

    static func isOpen(path: String) -> Bool {
        path.hasPrefix("/v3/") || path == "/healthz" || path == "/login" || path.hasPrefix("/assets/")
    }

    static func isAuthorized(_ request: Request, token: SandboxToken) -> Bool {
        if let header = request.headers[.authorization], let bearer = KeyCheck.bearerToken(header), token.matches(Substring(bearer)) {
            return true
        }
        for cookies in request.headers[values: .cookie] {
            for pair in cookies.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == cookieName else { continue }
                if token.matches(trimmed[trimmed.index(after: equals)...]) { return true }
            }
        }
        return false
    }

    /// The 401: the sign-in page for a browser, JSON for everything else.
    static func refusal(for request: Request) -> Response {
        if request.method == .get, request.headers[.accept]?.contains("text/html") == true {
            return InboxRoutes.signInPage(status: .unauthorized, message: nil)
        }
        var response = CannedResponses.json(
            401, "{\"error\":\"this sandbox needs its token: send Authorization: Bearer TOKEN (the value of --token)\"}")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"mailroom sandbox\""
        return response
    }
}
