import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// A per-connection channel handler that counts TCP connections for `GET /stats`.
///
/// `connections` counts a connection once, at its first `/v3/` request, so the admin calls a test
/// makes to read the numbers (which open their own connections) never change them: a client that
/// reuses one connection for 1,000 sends shows exactly 1.
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let stats: SandboxStats
    private var carriedMail = false
    private var open = false

    init(stats: SandboxStats) {
        self.stats = stats
    }

    func handlerAdded(context: ChannelHandlerContext) {
        open = true
        stats.allConnections.add(1, ordering: .relaxed)
        stats.openConnections.add(1, ordering: .relaxed)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeOnce()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeOnce()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !carriedMail, case .head(let head) = unwrapInboundIn(data), head.path?.hasPrefix("/v3/") == true {
            carriedMail = true
            stats.mailConnections.add(1, ordering: .relaxed)
        }
        context.fireChannelRead(data)
    }

    private func closeOnce() {
        guard open else { return }
        open = false
        stats.openConnections.subtract(1, ordering: .relaxed)
    }
}
