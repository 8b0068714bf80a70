import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive connections to upstream instances, one pool per event loop, so a proxied request and its
/// upstream connection always share a thread: no locks and no hops on the request path.
final class UpstreamConnectionPool {
    private var idle: [String: [UpstreamConnection]] = [:]
    let eventLoop: any EventLoop
    let maxIdlePerInstance = 64
    /// Exchanges in flight on this loop, newest first, linked through themselves (no hashing, no allocation).
    private var watched: ProxyExchange?
    private var sweep: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// An idle connection to `instance`, if one is at hand: the common case, taken without a future.
    func idleConnection(to instance: UpstreamInstance) -> UpstreamConnection? {
        self.eventLoop.assertInEventLoop()
        while let connection = self.idle[instance.baseURL]?.popLast() {
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    /// A new connection to `instance`.
    func connect(to instance: UpstreamInstance, connectTimeout: TimeAmount) -> EventLoopFuture<UpstreamConnection> {
        ClientBootstrap(group: self.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Requests go as bytes (UpstreamRequestWriter), responses are read as bytes (UpstreamResponseParser).
                    try channel.pipeline.syncOperations.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(host: instance.host, port: instance.port)
            .flatMapThrowing { channel in
                UpstreamConnection(channel: channel, responder: try channel.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self))
            }
    }

    /// Watches `exchange` until ``unwatch(_:)``, calling its `timedOut()` once its deadline has passed. One sweep a loop
    /// every `sweepInterval` while any exchange is in flight, instead of a timer scheduled and cancelled per request.
    func watch(_ exchange: ProxyExchange) {
        self.eventLoop.assertInEventLoop()
        exchange.nextWatched = self.watched
        self.watched?.previousWatched = exchange
        self.watched = exchange
        if self.sweep == nil {
            let pool = NIOLoopBound(self, eventLoop: self.eventLoop)
            self.sweep = self.eventLoop.scheduleRepeatedTask(initialDelay: Self.sweepInterval, delay: Self.sweepInterval) { task in
                pool.value.sweepDeadlines(task)
            }
        }
    }

    func unwatch(_ exchange: ProxyExchange) {
        guard exchange.previousWatched != nil || self.watched === exchange else { return }
        exchange.nextWatched?.previousWatched = exchange.previousWatched
        if let previous = exchange.previousWatched { previous.nextWatched = exchange.nextWatched } else { self.watched = exchange.nextWatched }
        exchange.nextWatched = nil
        exchange.previousWatched = nil
    }

    private func sweepDeadlines(_ task: RepeatedTask) {
        let now = NIODeadline.now()
        var next = self.watched
        while let exchange = next {
            next = exchange.nextWatched
            if exchange.deadline <= now { exchange.timedOut() }
        }
        if self.watched == nil {
            task.cancel()
            self.sweep = nil
        }
    }

    /// How late a timeout may fire.
    static let sweepInterval = TimeAmount.milliseconds(50)

    /// Returns a connection whose response ended cleanly, for the next request to the same instance.
    func release(_ connection: UpstreamConnection, to instance: UpstreamInstance) {
        self.eventLoop.assertInEventLoop()
        let key = instance.baseURL
        guard connection.channel.isActive, (self.idle[key]?.count ?? 0) < self.maxIdlePerInstance else {
            connection.channel.close(promise: nil)
            return
        }
        self.idle[key, default: []].append(connection)
    }
}

/// A pooled upstream connection with the handler at the end of its pipeline, kept together so attaching an exchange
/// costs no pipeline lookup. Unchecked: made, pooled and used only on its channel's event loop (pools are per loop).
struct UpstreamConnection: @unchecked Sendable {
    let channel: any Channel
    let responder: UpstreamResponseHandler
}

/// The upstream end of a proxied exchange: reads the response's bytes and hands its head, body and end, or the
/// connection's failure, to the exchange it serves.
final class UpstreamResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// The exchange using this connection; nil while it idles in the pool.
    var exchange: ProxyExchange?
    /// Whether the request being answered is a HEAD (its response has no body).
    var headRequest = false
    /// Whether the request being answered asked for a websocket (a 101 is then its answer).
    var webSocket = false
    private var parser = UpstreamResponseParser()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = self.unwrapInboundIn(data)
        do {
            while let exchange = self.exchange, let event = try self.parser.next(&buffer, headRequest: self.headRequest, upgrade: self.webSocket) {
                if case .switched(let head) = event {
                    // From here on the connection carries the websocket, spliced to the client's (``TunnelHandler``).
                    self.exchange = nil
                    exchange.upstreamSwitched(head, rest: buffer)
                    return
                }
                exchange.upstreamReceived(event)
            }
        } catch {
            self.exchange?.upstreamFailed(error)
            self.exchange = nil
            context.close(promise: nil)
            return
        }
        // Bytes nobody asked for (after the response, or on an idle connection): it cannot be trusted with another.
        if buffer.readableBytes > 0 { context.close(promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.exchange?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let end = self.parser.closed() {
            self.exchange?.upstreamReceived(end)
        } else {
            self.exchange?.upstreamClosed()
        }
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
