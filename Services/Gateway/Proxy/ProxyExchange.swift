import NIOCore
import NIOHTTP1
import ServiceKit

/// One proxied request: connects (or reuses a connection) to an instance, streams the request body up and
/// the response down with backpressure both ways, retries a request that never reached an instance, and
/// answers 502/504 in the gateway's JSON when the upstream fails. Lives on the client connection's event loop.
///
/// Only the upstream's own failures (refused or failed connects, connections closed or requests unanswered
/// once the whole request was sent) count against its breaker; what the client causes (a request the
/// gateway's encoder refuses, a client that leaves, stalls or sends garbage) is the client's 4xx or nothing.
final class ProxyExchange {
    private unowned let handler: ProxyChannelHandler
    private let context: ChannelHandlerContext
    private let engine: ProxyEngine
    private let upstream: Upstream
    private let head: HTTPRequestHead
    private let requestID: String
    private let rateHeaders: [(String, String)]
    private let candidates: [UpstreamInstance]
    /// What the request presented as a credential, and the address bucket it has not yet been charged to.
    private let credential: KnownCredentials.Fingerprint?
    private let unchargedAddress: RateLimiter.Key?
    /// Once an instance may have seen the request, only one that can be repeated safely and has no body may
    /// go to a second instance. (Before that, when connecting failed, any request may.)
    private let retryable: Bool
    /// Whether body parts may follow the head: only then are the client's reads paused until an upstream is attached.
    private let expectsBody: Bool
    /// A websocket upgrade for an upstream that takes them: its 101 splices the two connections.
    private let webSocket: Bool
    /// Any upgrade request (`Connection: upgrade` with `Upgrade`): NIO's parser reads nothing after it, so the client's
    /// connection closes after any answer but a 101.
    private let upgradeRequested: Bool
    private let started = NIODeadline.now()

    private var attempt = 0
    /// The breaker permit of the instance being tried, until its outcome is recorded or given back.
    private var permit: CircuitBreaker.Permit?
    private var lastError = ""
    private var upstreamConnection: UpstreamConnection?
    private var upstreamChannel: (any Channel)? { self.upstreamConnection?.channel }
    /// Frames the request for the upstream.
    private let requestWriter: UpstreamRequestWriter
    /// Body bytes that arrived before the upstream connection was ready (reads are paused meanwhile).
    private var pendingParts: [ByteBuffer] = []
    private var requestComplete = false
    private var responseStarted = false
    private var upstreamKeepAlive = true
    /// Whether the client's connection stays open after the response.
    private lazy var clientKeepAlive = self.head.isKeepAlive
    private var finished = false
    private var bodyBytes = 0
    private var status = 0
    /// When the exchange times out; the pool's deadline sweep checks it (see ``UpstreamConnectionPool/watch(_:)``).
    private(set) var deadline = NIODeadline.now()
    /// The pool's list of exchanges in flight: the next one, and the one before (which holds this one).
    var nextWatched: ProxyExchange?
    weak var previousWatched: ProxyExchange?
    /// Each side's `autoRead` as last set, so an unchanged value costs no channel option call.
    private var clientReadsPaused = false
    private var upstreamReadsPaused = false

    init(
        handler: ProxyChannelHandler, context: ChannelHandlerContext, engine: ProxyEngine, upstream: Upstream, head: HTTPRequestHead,
        facts: RequestHeaderFacts, requestWriter: UpstreamRequestWriter, requestID: String, rateHeaders: [(String, String)],
        candidates: [UpstreamInstance],
        credential: KnownCredentials.Fingerprint?, unchargedAddress: RateLimiter.Key?, webSocket: Bool = false
    ) {
        self.handler = handler
        self.context = context
        self.engine = engine
        self.upstream = upstream
        self.head = head
        self.requestID = requestID
        self.rateHeaders = rateHeaders
        self.candidates = candidates
        self.credential = credential
        self.unchargedAddress = unchargedAddress
        let contentLength = facts.contentLength
        let hasBody =
            facts.transferEncoding || (contentLength ?? 0) > 0 || (contentLength == nil && [.POST, .PUT, .PATCH].contains(head.method))
        self.requestWriter = requestWriter
        self.retryable = !hasBody && [.GET, .HEAD, .OPTIONS, .DELETE, .PUT].contains(head.method)
        self.expectsBody = hasBody
        self.webSocket = webSocket
        self.upgradeRequested = facts.upgrade
    }

    func start() {
        self.deadline = self.started + .nanoseconds(self.upstream.timeout.nanoseconds)
        self.pool.watch(self)
        if self.expectsBody { self.setClientReads(paused: true) }
        self.connect()
    }

    // MARK: Upstream connection

    private func connect() {
        // The instance takes this request only if its breaker agrees now: another request may hold its trial.
        while self.attempt < self.candidates.count {
            if let permit = self.candidates[self.attempt].breaker.acquire() {
                self.permit = permit
                break
            }
            self.attempt += 1
        }
        guard self.attempt < self.candidates.count else {
            if self.lastError.isEmpty {
                self.fail(.serviceUnavailable, "Upstream \(self.upstream.name) is unavailable: no healthy instance.")
            } else {
                self.fail(.badGateway, "Upstream \(self.upstream.name) could not be reached: \(self.lastError)")
            }
            return
        }
        let instance = self.candidates[self.attempt]
        let pool = self.pool
        if let connection = pool.idleConnection(to: instance) {
            self.attach(connection, instance: instance)
            return
        }
        pool.connect(to: instance, connectTimeout: .nanoseconds(self.upstream.connectTimeout.nanoseconds)).hop(to: self.context.eventLoop)
            .assumeIsolatedUnsafeUnchecked().whenComplete { result in
                switch result {
                case .success(let connection):
                    guard !self.finished else {
                        pool.release(connection, to: instance)
                        return
                    }
                    self.attach(connection, instance: instance)
                case .failure(let error):
                    guard !self.finished else { return }
                    self.instanceFailed()
                    // Nothing was sent, so any request may go to the next instance; its body parts so far wait in
                    // `pendingParts` (client reads stay paused until an instance is attached, which bounds them).
                    self.lastError = "\(error)"
                    self.attempt += 1
                    self.connect()
                }
            }
    }

    private func attach(_ connection: UpstreamConnection, instance: UpstreamInstance) {
        let channel = connection.channel
        connection.responder.exchange = self
        connection.responder.headRequest = self.head.method == .HEAD
        connection.responder.webSocket = self.webSocket
        self.upstreamConnection = connection
        channel.write(self.requestWriter.head(authority: instance.authority, allocator: channel.allocator), promise: nil)
        for part in self.pendingParts { channel.write(part, promise: nil) }
        self.pendingParts = []
        // Within a client read (a pooled connection was at hand) the read-complete flushes; otherwise flush now.
        if !self.handler.isReading { channel.flush() }
        self.setClientReads(paused: !channel.isWritable)
    }

    private func retryOrFail(error: String) {
        self.detachUpstream(reusable: false)
        if self.retryable, self.attempt + 1 < self.candidates.count {
            self.lastError = error
            self.attempt += 1
            self.connect()
        } else {
            self.fail(.badGateway, "Upstream \(self.upstream.name) could not be reached: \(error)")
        }
    }

    /// A request the gateway cannot forward as sent: the client's 400; the instance it was meant for is not blamed.
    private func refuse(_ refusal: UpstreamRequestWriter.Refusal) {
        self.releasePermit()
        self.fail(.badRequest, "The request cannot be forwarded as sent: \(refusal).", byUpstream: false)
    }

    // MARK: Breaker

    private func instanceAnswered() {
        guard self.permit != nil else { return }
        self.permit = nil
        self.candidates[self.attempt].breaker.recordSuccess()
    }

    private func instanceFailed() {
        self.permit = nil
        self.candidates[self.attempt].breaker.recordFailure()
    }

    /// The exchange ends without telling anything about the instance: a trial it held may go to the next request.
    private func releasePermit() {
        guard let permit = self.permit else { return }
        self.permit = nil
        self.candidates[self.attempt].breaker.release(permit)
    }

    // MARK: Client side

    func clientSent(_ part: HTTPServerRequestPart) {
        guard !self.finished else { return }
        let outbound: ByteBuffer?
        switch part {
        case .head:
            return  // a pipelined request cannot start before this response ends
        case .body(let buffer):
            self.bodyBytes += buffer.readableBytes
            if self.bodyBytes > self.engine.maxBodySize {
                self.fail(.payloadTooLarge, "Request body exceeds \(self.engine.maxBodySize) bytes.", byUpstream: false, closeClient: true)
                return
            }
            outbound = self.requestWriter.body(buffer, allocator: self.context.channel.allocator)
        case .end(let trailers):
            self.requestComplete = true
            do {
                outbound = try self.requestWriter.end(trailers: trailers, allocator: self.context.channel.allocator)
            } catch {
                self.refuse(error)
                return
            }
        }
        guard let outbound else { return }
        guard let channel = self.upstreamChannel else {
            self.pendingParts.append(outbound)
            return
        }
        channel.write(outbound, promise: nil)
        if !channel.isWritable { self.setClientReads(paused: true) }
    }

    /// The client's read batch is over: send what it brought in one write.
    func flushUpstream() {
        self.upstreamChannel?.flush()
    }

    func clientBecameWritable() {
        self.setUpstreamReads(paused: false)
    }

    func clientClosed() {
        guard !self.finished else { return }
        self.finished = true
        self.pool.unwatch(self)
        self.releasePermit()
        self.detachUpstream(reusable: false)
    }

    /// The client's bytes could not be parsed mid-request: its 400 if nothing was answered yet.
    func clientFailed() {
        guard !self.finished else { return }
        self.releasePermit()
        if self.responseStarted {
            self.finish(reusable: false)
            self.context.close(promise: nil)
        } else {
            self.fail(.badRequest, "The request could not be parsed as HTTP/1.1.", byUpstream: false, closeClient: true)
        }
    }

    func upstreamBecameWritable() {
        self.setClientReads(paused: false)
    }

    // MARK: Upstream responses

    func upstreamReceived(_ event: UpstreamResponseParser.Event) {
        guard !self.finished else { return }
        switch event {
        case .head(let response, let endsAtClose):
            self.responseStarted = true
            self.instanceAnswered()
            self.status = response.status
            if let credential = self.credential {
                self.engine.attribute(credential, status: self.status, unchargedAddress: self.unchargedAddress)
            }
            self.upstreamKeepAlive = response.keepAlive
            // A body that ends with the upstream's connection ends the client's too: nothing else marks its end.
            self.clientKeepAlive = self.head.isKeepAlive && !endsAtClose && !self.upgradeRequested
            var extraHeaders = [("X-Request-ID", self.requestID)] + self.rateHeaders
            if endsAtClose || self.upgradeRequested, self.head.isKeepAlive {
                extraHeaders.append(("Connection", "close"))
            } else if self.clientKeepAlive, self.head.version.minor == 0 {
                extraHeaders.append(("Connection", "keep-alive"))  // else an HTTP/1.0 client waits for the close
            }
            var out = self.context.channel.allocator.buffer(capacity: 512)
            response.write(to: &out, version: self.head.version, extraHeaders: extraHeaders)
            self.handler.writeRaw(out)
        case .body(let buffer):
            self.handler.writeRaw(buffer)
        case .end:
            self.context.flush()
            // A connection whose request was not fully sent cannot carry another one.
            self.finish(reusable: self.requestComplete && self.upstreamKeepAlive)
        case .switched(let response):
            self.upstreamSwitched(response, rest: self.context.channel.allocator.buffer(capacity: 0))
        }
    }

    /// The upstream's 101 to a websocket upgrade: the client gets it (with the `Connection` and `Upgrade` headers the
    /// hop-by-hop rule would drop), then whatever bytes followed it, then the two connections are spliced byte for byte
    /// until either closes (``TunnelHandler``). The exchange ends here; the upstream connection never returns to the pool.
    func upstreamSwitched(_ response: UpstreamResponseHead, rest: ByteBuffer) {
        guard !self.finished, let connection = self.upstreamConnection else { return }
        self.finished = true
        self.responseStarted = true
        self.instanceAnswered()
        self.status = response.status
        self.pool.unwatch(self)
        self.setUpstreamReads(paused: false)
        self.setClientReads(paused: false)
        self.upstreamConnection = nil
        connection.responder.exchange = nil
        var out = self.context.channel.allocator.buffer(capacity: 512)
        response.write(
            to: &out, version: self.head.version,
            extraHeaders: [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("X-Request-ID", self.requestID)] + self.rateHeaders)
        self.handler.writeRaw(out)
        if rest.readableBytes > 0 { self.handler.writeRaw(rest) }
        self.context.flush()
        self.record()
        self.handler.exchangeSwitched()
        TunnelHandler.splice(self.context.channel, connection.channel)
    }

    /// The upstream's read batch is over: send what it brought in one write.
    func upstreamReadComplete() {
        guard !self.finished else { return }
        self.context.flush()
        if !self.context.channel.isWritable { self.setUpstreamReads(paused: true) }
    }

    /// The upstream connection raised an error, or sent what is not an HTTP/1.1 response: the upstream failing.
    func upstreamFailed(_ error: any Error) {
        self.upstreamClosed(reason: "\(error)")
    }

    func upstreamClosed(reason: String = "the connection closed before a response") {
        guard !self.finished else { return }
        if self.responseStarted {
            // The response is cut short: the client must see the connection end, not a shorter body.
            self.finish(reusable: false)
            self.context.close(promise: nil)
            return
        }
        self.instanceFailed()
        self.retryOrFail(error: reason)
    }

    /// This event loop's pool of upstream connections.
    private var pool: UpstreamConnectionPool { self.handler.pool ?? self.engine.pool(for: self.context.eventLoop) }

    /// Past the deadline (called by the pool's sweep).
    func timedOut() {
        guard !self.finished else { return }
        if self.responseStarted {
            // The upstream answered; a stalled body is its fault only if the client was keeping up.
            if self.context.channel.isWritable { self.candidates[self.attempt].breaker.recordFailure() }
            self.finish(reusable: false)
            self.context.close(promise: nil)
        } else if !self.requestComplete, let channel = self.upstreamChannel, channel.isWritable {
            // The upstream was ready for more and the client did not send it: the client's timeout.
            self.releasePermit()
            self.fail(.requestTimeout, "The request was not received whole within \(self.upstream.timeout).", byUpstream: false, closeClient: true)
        } else {
            self.instanceFailed()
            self.fail(.gatewayTimeout, "Upstream \(self.upstream.name) did not answer within \(self.upstream.timeout).")
        }
    }

    // MARK: Ending

    /// Answers with the gateway's JSON error, naming the upstream when it is the upstream's failure.
    private func fail(_ status: HTTPResponseStatus, _ message: String, byUpstream: Bool = true, closeClient: Bool = false) {
        guard !self.finished else { return }
        self.finished = true
        self.pool.unwatch(self)
        self.releasePermit()
        self.detachUpstream(reusable: false)
        var headers = self.rateHeaders
        let closeClient = closeClient || self.upgradeRequested
        if closeClient { headers.append(("Connection", "close")) }
        self.handler.writeError(
            status, message, upstream: byUpstream ? self.upstream.name : nil, requestID: self.requestID,
            extraHeaders: headers, version: self.head.version, context: self.context
        )
        self.status = Int(status.code)
        self.record()
        self.setClientReads(paused: false)
        self.handler.exchangeEnded(requestComplete: self.requestComplete, keepAlive: !closeClient && self.head.isKeepAlive, context: self.context)
    }

    private func finish(reusable: Bool) {
        self.finished = true
        self.pool.unwatch(self)
        self.releasePermit()
        self.detachUpstream(reusable: reusable)
        self.record()
        self.setClientReads(paused: false)
        self.handler.exchangeEnded(requestComplete: self.requestComplete, keepAlive: self.clientKeepAlive, context: self.context)
    }

    private func detachUpstream(reusable: Bool) {
        guard let connection = self.upstreamConnection else { return }
        self.setUpstreamReads(paused: false)  // a pooled connection must read again
        self.upstreamConnection = nil
        connection.responder.exchange = nil
        if reusable {
            self.pool.release(connection, to: self.candidates[self.attempt])
        } else {
            connection.channel.close(promise: nil)
        }
    }

    private func record() {
        self.engine.record(
            method: self.head.method.rawValue, path: self.head.uri, upstream: self.upstream.name, status: self.status,
            started: self.started, requestID: self.requestID
        )
    }

    private func setClientReads(paused: Bool) {
        guard paused != self.clientReadsPaused else { return }
        self.clientReadsPaused = paused
        Self.setReads(on: self.context.channel, paused: paused)
    }

    private func setUpstreamReads(paused: Bool) {
        guard let channel = self.upstreamChannel, paused != self.upstreamReadsPaused else { return }
        self.upstreamReadsPaused = paused
        Self.setReads(on: channel, paused: paused)
    }

    /// Backpressure: a side that cannot take more stops the other side's reads.
    private static func setReads(on channel: any Channel, paused: Bool) {
        try? channel.syncOptions?.setOption(.autoRead, value: !paused)
    }
}
