import AsyncHTTPClient
import Configuration
import Prometheus
import TestSupport
import Testing

@testable import Gateway

@Suite("Gateway building blocks")
struct ResilienceTests {
    @Test("A token bucket allows its burst, then refuses until tokens refill")
    func tokenBucket() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.take(.address("k"), now: start).allowed })
        let refused = limiter.take(.address("k"), now: start)
        #expect(!refused.allowed)
        #expect(refused.retryAfter > 0.4 && refused.retryAfter <= 0.5)
        #expect(limiter.take(.address("other"), now: start).allowed)
        #expect(limiter.take(.address("k"), now: start + .milliseconds(600)).allowed)
        #expect(limiter.policyHeader == "\"default\";q=3;w=2")
    }

    @Test("A breaker opens after its threshold, lets one trial through when the time is up, and closes on success")
    func breaker() {
        let breaker = CircuitBreaker(threshold: 2, openDuration: .seconds(10))
        let now = ContinuousClock.now
        breaker.recordFailure(now: now)
        #expect(breaker.acquire(now: now) == .closed)
        breaker.recordFailure(now: now)
        #expect(breaker.acquire(now: now + .seconds(5)) == nil)
        #expect(breaker.permits(now: now + .seconds(11)))
        #expect(breaker.permits(now: now + .seconds(11)))  // looking takes nothing
        #expect(breaker.acquire(now: now + .seconds(11)) == .trial)
        #expect(breaker.acquire(now: now + .seconds(11)) == nil)  // only one trial
        #expect(!breaker.permits(now: now + .seconds(11)))
        breaker.recordSuccess()
        #expect(breaker.acquire(now: now + .seconds(12)) == .closed)
    }

    @Test("A trial that is given back, or never settled, lets the next request try; a failed trial reopens")
    func breakerTrials() {
        let breaker = CircuitBreaker(threshold: 1, openDuration: .seconds(10))
        let now = ContinuousClock.now
        breaker.recordFailure(now: now)
        #expect(breaker.acquire(now: now + .seconds(10)) == .trial)
        breaker.release(.trial, now: now + .seconds(10))
        #expect(breaker.acquire(now: now + .seconds(10)) == .trial)  // given back: at once
        #expect(breaker.acquire(now: now + .seconds(19)) == nil)
        #expect(breaker.acquire(now: now + .seconds(20)) == .trial)  // unanswered: expired after the open time
        breaker.recordFailure(now: now + .seconds(20))
        #expect(breaker.acquire(now: now + .seconds(29)) == nil)
        breaker.release(.closed, now: now + .seconds(29))  // a closed permit has nothing to give back
        #expect(breaker.acquire(now: now + .seconds(29)) == nil)
    }

    @Test("A health probe closes a breaker once its open time is up, not before")
    func breakerProbe() {
        let breaker = CircuitBreaker(threshold: 1, openDuration: .seconds(10))
        let now = ContinuousClock.now
        breaker.recordFailure(now: now)
        breaker.probeSucceeded(now: now + .seconds(5))
        #expect(breaker.acquire(now: now + .seconds(5)) == nil)
        breaker.probeSucceeded(now: now + .seconds(10))
        #expect(breaker.acquire(now: now + .seconds(10)) == .closed)
        breaker.recordFailure(now: now + .seconds(10))
        #expect(breaker.acquire(now: now + .seconds(20)) == .trial)
        breaker.probeSucceeded(now: now + .seconds(20))  // a trial out: the probe settles it
        #expect(breaker.acquire(now: now + .seconds(20)) == .closed)
    }

    @Test("Paths go to the upstream with the longest matching prefix; internal and unowned paths to none")
    func routing() {
        let settings = GatewaySettings(reader: TestConfiguration.reader())
        let upstreams = settings.upstreams.map { Upstream(settings: $0, failureThreshold: 5, openDuration: .seconds(1)) }
        let engine = ProxyEngine(
            upstreams: upstreams, limiter: RateLimiter(rate: 1, burst: 1), credentials: KnownCredentials(capacity: 10), maxBodySize: 1,
            logger: TestConfiguration.logger,
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
