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
        /// A websocket upgrade the upstream accepted: the connection's bytes go through ``TunnelHandler`` until it closes.
        case tunneled
    }

    let engine: ProxyEngine
    /// Writes proxied responses' bytes past the HTTP encoder (see ``RawResponseWriter``).
    private let rawWriter: RawResponseWriter
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
    /// The parser failed on a request queued behind the one being answered: it gets its 400 when its turn comes.
    private var parseFailed = false
    /// The client's IP address, read once per connection.
    private(set) var clientAddress: String?
    /// The credential the connection's last request presented, with its fingerprint: a keep-alive client sends the same
    /// one request after request, and comparing it costs less than hashing it again.
    private var lastCredential: (authorization: String?, token: String?, fingerprint: KnownCredentials.Fingerprint?)?

    init(engine: ProxyEngine, rawWriter: RawResponseWriter) {
        self.engine = engine
        self.rawWriter = rawWriter
    }

    /// Bytes of a proxied response, already framed for the client (in order with what the encoder writes: both are
    /// writes on this event loop).
    func writeRaw(_ bytes: ByteBuffer) {
        self.rawWriter.write(bytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.pool = self.engine.pool(for: context.eventLoop)
        self.clientAddress = context.channel.remoteAddress?.ipAddress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.isReading = true
        if case .tunneled = self.state { return }
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
        case (.idle, .head(var head)):
            self.requestEnded = false
            // Checked before routing, for every request: what passes can be written to any upstream.
            guard let target = RequestTarget(head.uri, method: head.method) else {
                self.respond(
                    .badRequest,
                    "The request target is not a valid URI path and query (RFC 9112 §3.2, RFC 3986); characters such as "
                        + #"space " < > \ ^ ` { | } and control or non-ASCII bytes must be percent-encoded as UTF-8."#,
                    upstream: nil, requestID: RequestID.make(), extraHeaders: [], head: head, context: context
                )
                return
            }
            if let authority = target.authority {
                head.uri = target.uri
                head.headers.replaceOrAdd(name: "Host", value: authority)
            }
            // A websocket upgrade goes where websockets are taken (`/cable`, Chatwoot's prefixes); elsewhere it is a request
            // like any other, its hop-by-hop headers dropped.
            if head.headers.contains(name: "upgrade"), let upstream = self.engine.webSocketRoute(head.uri),
                RequestHeaderFacts.isWebSocketUpgrade(head)
            {
                self.begin(head, upstream: upstream, webSocket: true, context: context)
                return
            }
            guard let upstream = self.engine.route(head.uri) else {
                self.state = .passthrough(responseEnded: false)
                context.fireChannelRead(self.wrapInboundOut(.head(head)))
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
        case (.discarding, _), (.idle, _), (.tunneled, _):
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
        guard !self.pipelined.isEmpty else {
            if self.parseFailed { self.answerParseError(context: context) }
            return
        }
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
        if self.pipelined.isEmpty, self.parseFailed, case .idle = self.state {
            self.answerParseError(context: context)
            return
        }
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

    /// Bytes that are not HTTP/1.1: the client's 400 in the gateway's JSON, then the connection closes (the
    /// parser cannot resynchronise). A router request's error stays the router's.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        switch self.state {
        case .passthrough:
            context.fireErrorCaught(error)
        case .proxying(let exchange) where !self.requestEnded:
            exchange.clientFailed()
        case .discarding where !self.requestEnded:
            // The request was answered already; its rest is garbage.
            context.close(promise: nil)
        case .idle where self.pipelined.isEmpty:
            self.answerParseError(context: context)
        default:
            // A later request's bytes: answered in turn, after those before it.
            self.parseFailed = true
        }
    }

    private func answerParseError(context: ChannelHandlerContext) {
        self.parseFailed = false
        self.state = .discarding
        self.writeError(
            .badRequest, "The request could not be parsed as HTTP/1.1.", upstream: nil, requestID: RequestID.make(),
            extraHeaders: [("Connection", "close")], version: .http1_1, context: context
        )
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .proxying(let exchange) = self.state { exchange.clientClosed() }
        context.fireChannelInactive()
    }

    /// Checks the rate limit and size limit, then starts the exchange.
    private func begin(_ head: HTTPRequestHead, upstream: Upstream, webSocket: Bool = false, context: ChannelHandlerContext) {
        let facts = RequestHeaderFacts(head.headers)
        let requestID = RequestID.accept(facts.requestID) ?? RequestID.make()
        let address = self.clientAddress ?? "unknown"
        // A carrier's callback takes from its address's callback bucket; everything else from its credential's or address's.
        let callbackLimiter = self.engine.callbackLimiter.flatMap { self.engine.isCallback(head.uri) ? $0 : nil }
        let limiter = callbackLimiter ?? self.engine.limiter
        let (key, credential) =
            callbackLimiter == nil ? self.engine.rateKey(credential: self.credential(of: facts), address: address) : (.address(address), nil)
        let decision = limiter.take(key)
        var rateHeaders: [(String, String)] = [("RateLimit-Policy", limiter.policyHeader), ("RateLimit", limiter.header(for: decision))]
        guard decision.allowed else {
            let retryAfter = String(max(1, Int(decision.retryAfter.rounded(.up))))
            rateHeaders.append(("Retry-After", retryAfter))
            self.respond(
                .tooManyRequests, "Rate limit exceeded; retry after \(retryAfter) s.", upstream: nil, requestID: requestID, extraHeaders: rateHeaders,
                head: head, context: context)
            return
        }
        if let length = facts.contentLength, length > self.engine.maxBodySize {
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
        let requestWriter: UpstreamRequestWriter
        do {
            requestWriter = try UpstreamRequestWriter(
                head, facts: facts, requestID: requestID, clientAddress: self.clientAddress, allocator: context.channel.allocator,
                webSocket: webSocket)
        } catch {
            // The client's request, not the upstream's failure: no instance is tried.
            self.respond(
                .badRequest, "The request cannot be forwarded as sent: \(error).", upstream: nil, requestID: requestID,
                extraHeaders: rateHeaders, head: head, context: context)
            return
        }
        let exchange = ProxyExchange(
            handler: self, context: context, engine: self.engine, upstream: upstream, head: head, facts: facts,
            requestWriter: requestWriter, requestID: requestID, rateHeaders: rateHeaders, candidates: candidates, credential: credential,
            unchargedAddress: key == .address(address) ? nil : .address(address), webSocket: webSocket
        )
        self.state = .proxying(exchange)
        exchange.start()
    }

    /// The fingerprint of the request's credential, remembered for the connection's next request.
    private func credential(of facts: RequestHeaderFacts) -> KnownCredentials.Fingerprint? {
        let authorization = facts.authorization
        let token = facts.token
        if let last = self.lastCredential, last.authorization == authorization, last.token == token { return last.fingerprint }
        let fingerprint = self.engine.credentials.fingerprint(authorization: authorization, token: token)
        self.lastCredential = (authorization, token, fingerprint)
        return fingerprint
    }

    /// Answers a request locally with the gateway's JSON error; the rest of its body is dropped, or the
    /// connection closed when the client asked for that.
    private func respond(
        _ status: HTTPResponseStatus, _ message: String, upstream: String?, requestID: String, extraHeaders: [(String, String)],
        head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        var headers = extraHeaders
        // After an upgrade request the parser reads nothing more: the connection cannot carry another request.
        let keepAlive = head.isKeepAlive && !(head.headers.contains(name: "upgrade") && RequestHeaderFacts(head.headers).upgrade)
        if !keepAlive, !headers.contains(where: { $0.0 == "Connection" }) { headers.append(("Connection", "close")) }
        self.writeError(status, message, upstream: upstream, requestID: requestID, extraHeaders: headers, version: head.version, context: context)
        self.engine.record(
            method: head.method.rawValue, path: head.uri, upstream: upstream ?? "gateway", status: Int(status.code), started: .now(),
            requestID: requestID)
        self.state = .discarding
        if !keepAlive {
            self.pipelined.removeAll()
            context.close(promise: nil)
        }
    }

    /// Called by the exchange when the upstream switched to a websocket: from now on ``TunnelHandler``s carry the bytes.
    func exchangeSwitched() {
        self.state = .tunneled
        self.pipelined.removeAll()
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
        let body = GatewayErrorDialect.body(
            status: HTTPResponse.Status(code: Int(status.code)), message: message, upstream: upstream, requestID: requestID)
        var headers = HTTPHeaders(extraHeaders)
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "X-Request-ID", value: requestID)
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// First in a client connection's pipeline, in front of the HTTP response encoder: proxied responses, which arrive as
/// bytes already framed for the client, are written through here so they are not decoded and encoded again.
final class RawResponseWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(_ bytes: ByteBuffer) {
        self.context?.write(self.wrapOutboundOut(bytes), promise: nil)
    }
}
