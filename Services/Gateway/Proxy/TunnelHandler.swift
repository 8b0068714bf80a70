import NIOCore

/// Splices a client connection and an upstream connection after the upstream switched protocols (a websocket's 101):
/// first in each pipeline, it passes every byte read on its side to the other side as it came, with backpressure both
/// ways, and when either side closes closes the other. Both connections are on one event loop (pools are per loop), so
/// each handler calls the other directly; bytes are written from the front of the other pipeline, past the client's
/// HTTP encoder.
final class TunnelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    /// The other side's handler, until either side closes.
    private var peer: TunnelHandler?

    private init() {}

    /// Puts a tunnel between `client` and `upstream` (on the same event loop), in front of their other handlers.
    static func splice(_ client: any Channel, _ upstream: any Channel) {
        client.eventLoop.assertInEventLoop()
        let (clientSide, upstreamSide) = (TunnelHandler(), TunnelHandler())
        clientSide.peer = upstreamSide
        upstreamSide.peer = clientSide
        do {
            try client.pipeline.syncOperations.addHandler(clientSide, position: .first)
            try upstream.pipeline.syncOperations.addHandler(upstreamSide, position: .first)
        } catch {
            clientSide.peer = nil
            upstreamSide.peer = nil
            client.close(promise: nil)
            upstream.close(promise: nil)
            return
        }
        // A side that closed before its tunnel was in place would never say so to it.
        if !client.isActive || !upstream.isActive {
            clientSide.end()
            upstreamSide.end()
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.peer?.send(self.unwrapInboundIn(data))
    }

    /// The read batch is over: send it on, and stop reading while the other side cannot take more.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard let peer = self.peer else { return }
        peer.context?.flush()
        if peer.context?.channel.isWritable == false { Self.setReads(on: context.channel, paused: true) }
    }

    /// This side can take more again: the other side may read again.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let channel = self.peer?.context?.channel { Self.setReads(on: channel, paused: false) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let peer = self.peer
        self.peer = nil
        peer?.end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Bytes from the other side, written from the front of this pipeline.
    private func send(_ bytes: ByteBuffer) {
        self.context?.write(self.wrapOutboundOut(bytes), promise: nil)
    }

    /// The other side closed: what was written here still goes, then this side closes.
    private func end() {
        self.peer = nil
        guard let context = self.context else { return }
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in channel.close(promise: nil) }
    }

    private static func setReads(on channel: any Channel, paused: Bool) {
        try? channel.syncOptions?.setOption(.autoRead, value: !paused)
    }
}
