import NIOConcurrencyHelpers

/// Values kept for a short time after they were read, for read-mostly data fetched from elsewhere (a remote
/// verification, another service's agents). Failures are never kept: the next call tries again.
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private let ttl: Duration
    private let capacity: Int
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])

    public init(ttl: Duration, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The kept value for `key`, or the one `load` gives, which is then kept.
    public func value(for key: Key, load: () async throws -> Value) async rethrows -> Value {
        if let kept = self.kept(key) { return kept }
        let value = try await load()
        self.keep(value, for: key)
        return value
    }

    /// The kept value for `key` while it is fresh.
    public func kept(_ key: Key) -> Value? {
        let now = ContinuousClock.now
        return self.entries.withLockedValue { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    public func keep(_ value: Value, for key: Key) {
        let expires = ContinuousClock.now + self.ttl
        self.entries.withLockedValue { entries in
            if entries.count >= self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, expires: expires)
        }
    }

    /// Forgets one value.
    public func remove(_ key: Key) {
        _ = self.entries.withLockedValue { $0.removeValue(forKey: key) }
    }

    /// Forgets everything.
    public func removeAll() {
        self.entries.withLockedValue { $0.removeAll() }
    }
}
