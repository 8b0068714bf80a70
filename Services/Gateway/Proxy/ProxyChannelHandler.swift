import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import ServiceKit

/// Sits in every client connection's pipeline right after HTTP parsing. Requests for a prefix an upstream
/// owns are proxied here, at the channel level, on the connection's own event loop; everything else
/// (platform routes, unowned and internal paths) passes on to the Hummingbird router.
///
/// Pipelined requests wait here, in order, until the one before has been answered, with further reads held
/// meanwhile. (NIO's pipelining handler does the same by stopping and restarting reads around every request:
/// two `epoll_ctl` calls per request that this avoids.)
final class ProxyChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// A request for the router: its parts pass through until it and the router's response have both ended.
        case passthrough(responseEnded: Bool)
        case proxying(ProxyExchange)
        /// Answered already (429, 413, 503...): the rest of the request body is dropped.
        case discarding
    }

    let engine: ProxyEngine
    private var state = State.idle
    /// Whether the request being answered has arrived whole: a head after that starts the next request.
    private var requestEnded = false
    /// Parts of later requests that arrived while one is being answered, replayed in order once it is.
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    /// A read held back while pipelined parts wait.
    private var readPending = false
    /// This connection's event loop's pool, looked up once.
    private(set) var pool: UpstreamConnectionPool?
    /// True between a read and its read-complete: writes made meanwhile are flushed once, at read-complete.
    private(set) var isReading = false

    init(engine: ProxyEngine) {
        self.engine = engine
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.pool = self.engine.pool(for: context.eventLoop)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.isReading = true
        let part = self.unwrapInboundIn(data)
        if !self.pipelined.isEmpty || (self.isAnswering && self.requestEnded) {
            self.pipelined.append(part)
        } else {
            self.handle(part, context: context)
        }
    }

    private var isAnswering: Bool {
        if case .idle = self.state { return false }
        return true
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (self.state, part) {
        case (.idle, .head(let head)):
            self.requestEnded = false
            guard let upstream = self.engine.route(Self.pathOnly(head.uri)) else {
                self.state = .passthrough(responseEnded: false)
                context.fireChannelRead(self.wrapInboundOut(part))
                return
            }
            self.begin(head, upstream: upstream, context: context)
        case (.passthrough(let responseEnded), .end):
            self.requestEnded = true
            context.fireChannelRead(self.wrapInboundOut(part))
            if responseEnded { self.becomeIdle(context: context) }
        case (.passthrough, _):
            context.fireChannelRead(self.wrapInboundOut(part))
        case (.proxying(let exchange), _):
            if case .end = part { self.requestEnded = true }
            exchange.clientSent(part)
        case (.discarding, .end):
            self.requestEnded = true
            self.becomeIdle(context: context)
        case (.discarding, _), (.idle, _):
            break
        }
    }

    /// The router's response passes here: its end may finish a passthrough request.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = self.unwrapOutboundIn(data), case .passthrough = self.state else { return }
        if self.requestEnded {
            self.becomeIdle(context: context)
        } else {
            self.state = .passthrough(responseEnded: true)
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.pipelined.isEmpty {
            context.read()
        } else {
            self.readPending = true
        }
    }

    /// The current request is answered: the next pipelined one, if any, starts on the next event-loop tick
    /// (the answer may have ended inside another handler's callback).
    private func becomeIdle(context: ChannelHandlerContext) {
        self.state = .idle
        guard !self.pipelined.isEmpty else { return }
        context.eventLoop.assumeIsolatedUnsafeUnchecked().execute { self.replayPipelined(context: context) }
    }

    private func replayPipelined(context: ChannelHandlerContext) {
        while let part = self.pipelined.first, !(self.isAnswering && self.requestEnded) {
            self.pipelined.removeFirst()
            self.handle(part, context: context)
        }
        // As at the end of a read: the upstream gets one flush, the router its batch of parts.
        if case .proxying(let exchange) = self.state { exchange.flushUpstream() }
        context.fireChannelReadComplete()
        if self.pipelined.isEmpty, self.readPending {
            self.readPending = false
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.isReading = false
        if case .proxying(let exchange) = self.state { exchange.flushUpstream() }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .proxying(let exchange) = self.state, context.channel.isWritable { exchange.clientBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .proxying(let exchange) = self.state { exchange.clientClosed() }
        context.fireChannelInactive()
    }

    /// Checks the rate limit and size limit, then starts the exchange.
    private func begin(_ head: HTTPRequestHead, upstream: Upstream, context: ChannelHandlerContext) {
        let requestID = RequestIDMiddleware.accept(head.headers.first(name: "x-request-id")) ?? RequestIDMiddleware.makeID()
        let decision = self.engine.limiter.take(self.clientKey(head, context: context))
        var rateHeaders: [(String, String)] = [
            ("RateLimit-Policy", self.engine.limiter.policyHeader), ("RateLimit", self.engine.limiter.header(for: decision)),
        ]
        guard decision.allowed else {
            let retryAfter = String(max(1, Int(decision.retryAfter.rounded(.up))))
            rateHeaders.append(("Retry-After", retryAfter))
            self.respond(.tooManyRequests, "Rate limit exceeded; retry after \(retryAfter) s.", upstream: nil, requestID: requestID, extraHeaders: rateHeaders, head: head, context: context)
            return
        }
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > self.engine.maxBodySize {
            self.respond(
                .payloadTooLarge, "Request body exceeds \(self.engine.maxBodySize) bytes.", upstream: nil, requestID: requestID,
                extraHeaders: [("Connection", "close")], head: head, context: context
            )
            context.close(promise: nil)
            return
        }
        let candidates = upstream.candidates()
        guard !candidates.isEmpty else {
            self.respond(
                .serviceUnavailable, "Upstream \(upstream.name) is unavailable: no healthy instance.", upstream: upstream.name,
                requestID: requestID, extraHeaders: rateHeaders, head: head, context: context
            )
            return
        }
        let exchange = ProxyExchange(
            handler: self, context: context, engine: self.engine, upstream: upstream, head: head,
            requestID: requestID, rateHeaders: rateHeaders, candidates: candidates
        )
        self.state = .proxying(exchange)
        exchange.start()
    }

    /// Rate limits apply per credential, else per client address.
    private func clientKey(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> String {
        if let credential = head.headers.first(name: "authorization") ?? head.headers.first(name: "api_access_token") { return "c:" + credential }
        return "a:" + (context.channel.remoteAddress?.ipAddress ?? "unknown")
    }

    /// Answers a request locally with the gateway's JSON error; the rest of its body is dropped.
    private func respond(
        _ status: HTTPResponseStatus, _ message: String, upstream: String?, requestID: String, extraHeaders: [(String, String)],
        head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        self.writeError(status, message, upstream: upstream, requestID: requestID, extraHeaders: extraHeaders, version: head.version, context: context)
        self.engine.record(method: head.method.rawValue, path: head.uri, upstream: upstream ?? "gateway", status: Int(status.code), started: .now(), requestID: requestID)
        self.state = .discarding
    }

    /// Called by the exchange when its response has been written (or abandoned).
    func exchangeEnded(requestComplete: Bool, keepAlive: Bool, context: ChannelHandlerContext) {
        if !keepAlive {
            self.pipelined.removeAll()
            context.close(promise: nil)
        }
        if requestComplete { self.becomeIdle(context: context) } else { self.state = .discarding }
    }

    func writeError(
        _ status: HTTPResponseStatus, _ message: String, upstream: String?, requestID: String, extraHeaders: [(String, String)],
        version: HTTPVersion, context: ChannelHandlerContext
    ) {
        let body = GatewayErrorDialect.body(status: HTTPResponse.Status(code: Int(status.code)), message: message, upstream: upstream, requestID: requestID)
        var headers = HTTPHeaders(extraHeaders)
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "X-Request-ID", value: requestID)
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    static func pathOnly(_ target: String) -> String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }
}
