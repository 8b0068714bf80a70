import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive connections to upstream instances, one pool per event loop, so a proxied request and its
/// upstream connection always share a thread: no locks and no hops on the request path.
final class UpstreamConnectionPool {
    private var idle: [String: [any Channel]] = [:]
    let eventLoop: any EventLoop
    let maxIdlePerInstance = 64

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// An idle connection to `instance`, if one is at hand: the common case, taken without a future.
    func idleConnection(to instance: UpstreamInstance) -> (any Channel)? {
        self.eventLoop.assertInEventLoop()
        while let channel = self.idle[instance.baseURL]?.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }

    /// An idle connection to `instance`, or a new one.
    func connection(to instance: UpstreamInstance, connectTimeout: TimeAmount) -> EventLoopFuture<any Channel> {
        if let channel = self.idleConnection(to: instance) { return self.eventLoop.makeSucceededFuture(channel) }
        return ClientBootstrap(group: self.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(host: instance.host, port: instance.port)
    }

    /// Returns a connection whose response ended cleanly, for the next request to the same instance.
    func release(_ channel: any Channel, to instance: UpstreamInstance) {
        self.eventLoop.assertInEventLoop()
        guard channel.isActive, (self.idle[instance.baseURL]?.count ?? 0) < self.maxIdlePerInstance else {
            channel.close(promise: nil)
            return
        }
        self.idle[instance.baseURL, default: []].append(channel)
    }
}

/// The upstream end of a proxied exchange: hands response parts and failures to the exchange it serves.
final class UpstreamResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The exchange using this connection; nil while it idles in the pool.
    var exchange: ProxyExchange?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.exchange?.upstreamReceived(self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.exchange?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.exchange?.upstreamClosed()
        self.exchange = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.exchange?.upstreamFailed(error)
        self.exchange = nil
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.exchange?.upstreamBecameWritable() }
        context.fireChannelWritabilityChanged()
    }
}
