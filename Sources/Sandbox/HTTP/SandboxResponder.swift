import Hummingbird

/// Sends `POST /v3/mail/send` straight to its handler and everything else through the router.
///
/// The router's trie lookup cost about 6% of a benchmark request; Mail Send is one fixed path,
/// so it is matched with one comparison. The admin routes keep the router's conveniences, behind
/// the token check when the sandbox has a token.
struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext

    let mailSend: MailSendHandler
    let router: RouterResponder<SandboxRequestContext>
    let token: SandboxToken?

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        if request.method == .post, request.uri.path == "/v3/mail/send" {
            return try await mailSend.handle(request, context: context)
        }
        if let token, !TokenGate.isOpen(path: request.uri.path), !TokenGate.isAuthorized(request, token: token) {
            return TokenGate.refusal(for: request)
        }
        return try await router.respond(to: request, context: context)
    }
}
