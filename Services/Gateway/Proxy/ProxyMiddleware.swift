import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit

/// Forwards every path an upstream owns: rate limit, size limit, balancing, retries for idempotent
/// requests that never reached an instance, timeouts, and bodies streamed both ways.
struct ProxyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let upstreams: [Upstream]
    let limiter: RateLimiter
    let maxBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Internal routes are for services only; they are never reachable through the gateway.
        guard !(path == "/internal" || path.hasPrefix("/internal/")), let upstream = self.route(path) else {
            return try await next(request, context)
        }
        let decision = self.limiter.take(self.clientKey(request, context: context))
        var rateHeaders = HTTPFields()
        rateHeaders[.rateLimitPolicy] = self.limiter.policyHeader
        rateHeaders[.rateLimit] = self.limiter.header(for: decision)
        guard decision.allowed else {
            rateHeaders[.retryAfter] = String(max(1, Int(decision.retryAfter.rounded(.up))))
            throw ServiceError(.tooManyRequests, message: "Rate limit exceeded; retry after \(rateHeaders[.retryAfter]!) s.", headers: rateHeaders)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > self.maxBodySize {
            throw ServiceError(.contentTooLarge, message: "Request body exceeds \(self.maxBodySize) bytes.")
        }
        var response = try await self.forward(request, to: upstream, context: context)
        response.headers.append(contentsOf: rateHeaders)
        return response
    }

    /// The upstream with the longest matching prefix.
    func route(_ path: String) -> Upstream? {
        var best: (upstream: Upstream, length: Int)?
        for upstream in self.upstreams {
            if let length = upstream.match(path), length > (best?.length ?? -1) { best = (upstream, length) }
        }
        return best?.upstream
    }

    /// Rate limits apply per credential, else per client address.
    func clientKey(_ request: Request, context: Context) -> String {
        if let credential = request.headers[.authorization] ?? request.headers[.apiAccessToken] { return "c:" + credential }
        return "a:" + (context.remoteAddress?.ipAddress ?? "unknown")
    }

    func forward(_ request: Request, to upstream: Upstream, context: Context) async throws -> Response {
        let candidates = upstream.candidates()
        guard !candidates.isEmpty else {
            throw ServiceError(.serviceUnavailable, message: "Upstream \(upstream.name) is unavailable: no healthy instance.", field: upstream.name)
        }
        let hasBody = request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0
        // Only a request that can be repeated safely, and whose body was never read, may go to a second instance.
        let retryable = !hasBody && [.get, .head, .options, .delete, .put].contains(request.method)
        var lastError: (any Error)?
        for instance in retryable ? candidates : [candidates[0]] {
            let outbound = self.outboundRequest(request, to: instance, hasBody: hasBody, context: context)
            do {
                let answer = try await upstream.client.execute(outbound, deadline: .now() + .nanoseconds(upstream.timeout.nanoseconds), logger: context.logger)
                instance.breaker.recordSuccess()
                return self.response(from: answer)
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                instance.breaker.recordFailure()
                throw ServiceError(.gatewayTimeout, message: "Upstream \(upstream.name) did not answer within \(upstream.timeout).", field: upstream.name)
            } catch is BodyTooLarge {
                throw ServiceError(.contentTooLarge, message: "Request body exceeds \(self.maxBodySize) bytes.")
            } catch {
                instance.breaker.recordFailure()
                context.logger.warning("Upstream request failed", metadata: ["upstream": .string(upstream.name), "instance": .string(instance.baseURL), "error": .string(String(describing: error))])
                lastError = error
            }
        }
        throw ServiceError(
            .badGateway,
            message: "Upstream \(upstream.name) could not be reached\(lastError.map { ": \($0)" } ?? ".")",
            field: upstream.name
        )
    }

    func outboundRequest(_ request: Request, to instance: UpstreamInstance, hasBody: Bool, context: Context) -> HTTPClientRequest {
        var outbound = HTTPClientRequest(url: instance.baseURL + (request.uri.string.hasPrefix("/") ? request.uri.string : "/" + request.uri.string))
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name) {
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        outbound.headers.replaceOrAdd(name: "X-Request-ID", value: context.requestID)
        if let address = context.remoteAddress?.ipAddress {
            let forwarded = request.headers[.xForwardedFor].map { "\($0), \(address)" } ?? address
            outbound.headers.replaceOrAdd(name: "X-Forwarded-For", value: forwarded)
        }
        if let host = request.headers[.hostHeader] { outbound.headers.replaceOrAdd(name: "X-Forwarded-Host", value: host) }
        outbound.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "http")
        if hasBody {
            let length: HTTPClientRequest.Body.Length = request.headers[.contentLength].flatMap(Int64.init).map { .known($0) } ?? .unknown
            outbound.body = .stream(LimitedBody(base: request.body, limit: self.maxBodySize), length: length)
        }
        return outbound
    }

    func response(from answer: HTTPClientResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            guard let field = HTTPField.Name(name), !Self.hopByHop.contains(field) else { continue }
            headers.append(HTTPField(name: field, value: value))
        }
        return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: ResponseBody(asyncSequence: answer.body))
    }

    /// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus Host, which the client sets.
    static let hopByHop: Set<HTTPField.Name> = [
        .connection, .init("Keep-Alive")!, .proxyAuthenticate, .proxyAuthorization, .te, .trailer, .transferEncoding, .upgrade, .hostHeader,
    ]
}

extension HTTPField.Name {
    static let rateLimit = Self("RateLimit")!
    static let rateLimitPolicy = Self("RateLimit-Policy")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let hostHeader = Self("Host")!
}
