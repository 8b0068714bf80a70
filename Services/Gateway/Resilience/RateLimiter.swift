import Foundation
import NIOConcurrencyHelpers

/// Token buckets, one per key (a known credential or a client address): `burst` tokens, refilled at `rate` a second.
final class RateLimiter: Sendable {
    /// Whose bucket a request takes from.
    enum Key: Hashable, Sendable {
        /// A credential an upstream has accepted (see ``KnownCredentials``).
        case credential(KnownCredentials.Fingerprint)
        /// A client address: requests without a credential, or with one not known to be valid.
        case address(String)
    }

    struct Decision {
        let allowed: Bool
        /// Whole tokens left after this request.
        let remaining: Int
        /// Seconds until a token is available (when refused) or the bucket is full again.
        let retryAfter: Double
        let resetAfter: Double
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    private let buckets = NIOLockedValueBox<[Key: Bucket]>([:])
    private let maxKeys = 100_000
    /// `RateLimit-Policy`: the same on every response, so made once.
    private let policy: String

    init(rate: Double, burst: Double) {
        self.rate = max(rate, 0.001)
        self.burst = max(burst, 1)
        self.policy = "\"default\";q=\(Int(self.burst));w=\(max(1, Int((self.burst / self.rate).rounded(.up))))"
    }

    func take(_ key: Key, now: ContinuousClock.Instant = .now) -> Decision {
        self.buckets.withLockedValue { buckets in
            if buckets.count >= self.maxKeys { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[key] ?? Bucket(tokens: self.burst, updated: now)
            let elapsed = Double((now - bucket.updated).components.seconds) + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return Decision(
                allowed: allowed,
                remaining: Int(bucket.tokens.rounded(.down)),
                retryAfter: allowed ? 0 : (1 - bucket.tokens) / self.rate,
                resetAfter: (self.burst - bucket.tokens) / self.rate
            )
        }
    }

    /// `RateLimit-Policy` (IETF httpapi draft): the quota and its window in seconds.
    var policyHeader: String { self.policy }

    /// `RateLimit` for one decision: remaining quota and seconds until it is whole again.
    func header(for decision: Decision) -> String {
        "\"default\";r=\(decision.remaining);t=\(Int(decision.resetAfter.rounded(.up)))"
    }
}
