import Hummingbird
import NIOCore

/// The inbox page (`/`) and its two assets, embedded in the binary at build time (SwiftPM's
/// `embedInCode`), so the page works offline, needs no build step, and asks nothing of any other
/// origin; and the sign-in page that sets the token cookie when the sandbox has `--token`.
struct InboxRoutes: Sendable {
    let state: SandboxState

    /// The page's own policy: scripts, styles and requests from this origin only; frames only for
    /// the HTML parts; nothing may frame the page.
    static let pagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static let page = ByteBuffer(bytes: PackageResources.index_html)
    static let script = ByteBuffer(bytes: PackageResources.inbox_js)
    static let style = ByteBuffer(bytes: PackageResources.inbox_css)

    func register(on router: Router<SandboxRequestContext>) {
        router.get("/") { _, _ in Self.asset(Self.page, type: "text/html; charset=utf-8") }
        router.get("assets/inbox.js") { _, _ in Self.asset(Self.script, type: "text/javascript; charset=utf-8") }
        router.get("assets/inbox.css") { _, _ in Self.asset(Self.style, type: "text/css; charset=utf-8") }
        router.get("login") { _, _ in
            guard state.token != nil else { return Response(status: .seeOther, headers: [.location: "/"]) }
            return Self.signInPage(status: .ok, message: nil)
        }
        router.post("login") { request, _ in try await signIn(request) }
    }

    static func asset(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentSecurityPolicy: pagePolicy, .xContentTypeOptions: "nosniff", .cacheControl: "no-cache"],
            body: .init(byteBuffer: body))
    }

    /// `POST /login` with the form's `token`: on a match, a cookie (HttpOnly, SameSite=Strict) and back to the inbox.
    private func signIn(_ request: Request) async throws -> Response {
        guard let token = state.token else { return Response(status: .seeOther, headers: [.location: "/"]) }
        let body = (try? await request.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
        let given = FormFields.value(of: "token", in: body) ?? ""
        guard token.matches(Substring(given)) else { return Self.signInPage(status: .unauthorized, message: "That is not this sandbox's token.") }
        let cookie = "\(TokenGate.cookieName)=\(FormFields.cookieSafe(given)); Path=/; HttpOnly; SameSite=Strict"
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: cookie])
    }

    /// A small form asking for the token; `message` says why the last attempt failed.
    static func signInPage(status: HTTPResponse.Status, message: String?) -> Response {
        let note = message.map { "<p class=\"empty\" role=\"alert\">\($0)</p>" } ?? ""
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · mailroom sandbox</title><link rel="stylesheet" href="/assets/inbox.css"></head>
            <body><header class="bar"><h1>mailroom sandbox</h1></header><main class="layout"><section>
            <h2>This sandbox needs its token</h2>\(note)
            <form method="post" action="/login"><p><label for="token">Token (the value of <code>--token</code>)</label></p>
            <p><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Sign in</button></p></form></section></main></body></html>
            """
        var response = asset(ByteBuffer(string: html), type: "text/html; charset=utf-8")
        response.status = status
        return response
    }
}
