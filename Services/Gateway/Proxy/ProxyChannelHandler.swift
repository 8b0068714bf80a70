import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import ServiceKit

/// Sits in every client connection's pipeline, after HTTP decoding. Requests for a prefix an upstream owns
/// are proxied here, at the channel level, on the connection's own event loop; everything else (platform
/// routes, unowned and internal paths) passes on to the Hummingbird router.
final class ProxyChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case idle
        /// A request for the router: its parts pass through.
        case passthrough
        case proxying(ProxyExchange)
        /// Answered already (429, 413, 503...): the rest of the request body is dropped.
        case discarding
    }

    let engine: ProxyEngine
    private var state = State.idle
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
        switch (self.state, part) {
        case (.idle, .head(let request)):
            guard let upstream = self.engine.route(request.path.map(Self.pathOnly) ?? "/") else {
                self.state = .passthrough
                context.fireChannelRead(data)
                return
            }
            self.begin(request, upstream: upstream, context: context)
        case (.passthrough, .end):
            self.state = .idle
            context.fireChannelRead(data)
        case (.passthrough, _):
            context.fireChannelRead(data)
        case (.proxying(let exchange), _):
            exchange.clientSent(part)
        case (.discarding, .end):
            self.state = .idle
        case (.discarding, _), (.idle, _):
            break
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
    private func begin(_ request: HTTPRequest, upstream: Upstream, context: ChannelHandlerContext) {
        let requestID = RequestIDMiddleware.accept(request.headerFields[.requestID]) ?? UUID().uuidString.lowercased()
        let decision = self.engine.limiter.take(self.clientKey(request, context: context))
        var rateHeaders = HTTPFields()
        rateHeaders[.rateLimitPolicy] = self.engine.limiter.policyHeader
        rateHeaders[.rateLimit] = self.engine.limiter.header(for: decision)
        guard decision.allowed else {
            let retryAfter = String(max(1, Int(decision.retryAfter.rounded(.up))))
            rateHeaders[.retryAfter] = retryAfter
            self.respond(
                .tooManyRequests, "Rate limit exceeded; retry after \(retryAfter) s.", upstream: nil, requestID: requestID,
                extraHeaders: rateHeaders, request: request, context: context
            )
            return
        }
        if let length = request.headerFields[.contentLength].flatMap(Int.init), length > self.engine.maxBodySize {
            self.respond(
                .contentTooLarge, "Request body exceeds \(self.engine.maxBodySize) bytes.", upstream: nil, requestID: requestID,
                extraHeaders: [.connection: "close"], request: request, context: context
            )
            context.close(promise: nil)
            return
        }
        let candidates = upstream.candidates()
        guard !candidates.isEmpty else {
            self.respond(
                .serviceUnavailable, "Upstream \(upstream.name) is unavailable: no healthy instance.", upstream: upstream.name,
                requestID: requestID, extraHeaders: rateHeaders, request: request, context: context
            )
            return
        }
        let exchange = ProxyExchange(
            handler: self, context: context, engine: self.engine, upstream: upstream, request: request,
            requestID: requestID, rateHeaders: rateHeaders, candidates: candidates
        )
        self.state = .proxying(exchange)
        exchange.start()
    }

    /// Rate limits apply per credential, else per client address.
    private func clientKey(_ request: HTTPRequest, context: ChannelHandlerContext) -> String {
        if let credential = request.headerFields[.authorization] ?? request.headerFields[.apiAccessToken] { return "c:" + credential }
        return "a:" + (context.channel.remoteAddress?.ipAddress ?? "unknown")
    }

    /// Answers a request locally with the gateway's JSON error; the rest of its body is dropped.
    private func respond(
        _ status: HTTPResponse.Status, _ message: String, upstream: String?, requestID: String, extraHeaders: HTTPFields,
        request: HTTPRequest, context: ChannelHandlerContext
    ) {
        Self.writeError(status, message, upstream: upstream, requestID: requestID, extraHeaders: extraHeaders, context: context, handler: self)
        self.engine.record(method: request.method, path: request.path ?? "", upstream: upstream ?? "gateway", status: status.code, started: .now(), requestID: requestID)
        self.state = .discarding
    }

    /// Called by the exchange when its response has been written (or abandoned).
    func exchangeEnded(requestComplete: Bool) {
        self.state = requestComplete ? .idle : .discarding
    }

    static func writeError(
        _ status: HTTPResponse.Status, _ message: String, upstream: String?, requestID: String, extraHeaders: HTTPFields,
        context: ChannelHandlerContext, handler: ProxyChannelHandler
    ) {
        let body = GatewayErrorDialect.body(status: status, message: message, upstream: upstream, requestID: requestID)
        var headers = extraHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(body.readableBytes)
        headers[.requestID] = requestID
        context.write(handler.wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: headers))), promise: nil)
        context.write(handler.wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
    }

    static func pathOnly(_ target: String) -> String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }
}

extension HTTPField.Name {
    static let rateLimit = Self("RateLimit")!
    static let rateLimitPolicy = Self("RateLimit-Policy")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
