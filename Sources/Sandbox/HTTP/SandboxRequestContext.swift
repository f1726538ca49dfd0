import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the TCP channel, which the
/// dropped-connection fault closes.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
