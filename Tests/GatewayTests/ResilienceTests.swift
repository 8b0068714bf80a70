import AsyncHTTPClient
import Configuration
import Prometheus
import Testing
import TestSupport

@testable import Gateway

@Suite("Gateway building blocks")
struct ResilienceTests {
    @Test("A token bucket allows its burst, then refuses until tokens refill")
    func tokenBucket() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.take("k", now: start).allowed })
        let refused = limiter.take("k", now: start)
        #expect(!refused.allowed)
        #expect(refused.retryAfter > 0.4 && refused.retryAfter <= 0.5)
        #expect(limiter.take("other", now: start).allowed)
        #expect(limiter.take("k", now: start + .milliseconds(600)).allowed)
        #expect(limiter.policyHeader == "\"default\";q=3;w=2")
    }

    @Test("A breaker opens after its threshold, lets one trial through when the time is up, and closes on success")
    func breaker() {
        let breaker = CircuitBreaker(threshold: 2, openDuration: .seconds(10))
        let now = ContinuousClock.now
        breaker.recordFailure(now: now)
        #expect(breaker.allowsRequest(now: now))
        breaker.recordFailure(now: now)
        #expect(!breaker.allowsRequest(now: now + .seconds(5)))
        #expect(breaker.allowsRequest(now: now + .seconds(11)))
        #expect(!breaker.allowsRequest(now: now + .seconds(11)))  // only one trial
        breaker.recordSuccess()
        #expect(breaker.allowsRequest(now: now + .seconds(12)))
    }

    @Test("Paths go to the upstream with the longest matching prefix; internal and unowned paths to none")
    func routing() {
        let settings = GatewaySettings(reader: TestConfiguration.reader())
        let upstreams = settings.upstreams.map { Upstream(settings: $0, failureThreshold: 5, openDuration: .seconds(1)) }
        let engine = ProxyEngine(
            upstreams: upstreams, limiter: RateLimiter(rate: 1, burst: 1), maxBodySize: 1, logger: TestConfiguration.logger,
            accessLog: false, registry: .init()
        )
        #expect(engine.route("/api/v1/livechat/campaigns")?.name == "livechat-config")
        #expect(engine.route("/api/v1/accounts/1/conversations")?.name == "chatwoot-groups")
        #expect(engine.route("/api/v1/profile")?.name == "chatwoot-groups")
        #expect(engine.route("/api")?.name == "chatwoot-groups")
        #expect(engine.route("/apiary") == nil)
        #expect(engine.route("/RI/cmi/contacts")?.name == "sinch-cmi")
        #expect(engine.route("/RI/cmi-admin/queues")?.name == "sinch-cmi")
        #expect(engine.route("/contact/contacts:query")?.name == "outreach-contact")
        #expect(engine.route("/internal/auth/verify") == nil)
        #expect(engine.route("/nobody") == nil)
        for upstream in upstreams { try? upstream.client.syncShutdown() }
    }
}
