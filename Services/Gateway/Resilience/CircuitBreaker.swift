import NIOConcurrencyHelpers

/// Stops sending to an instance after `threshold` consecutive failures, for `openDuration`; then lets one
/// trial request through (half-open) and closes again on its success, or on a successful health probe.
///
/// Only the exchange that actually sends to the instance takes the trial (``acquire(now:)``); looking at the
/// breaker to order candidates (``permits(now:)``) changes nothing. A trial that gets no verdict (the client
/// left, the request was the client's fault) is given back, and one that is never settled expires after
/// `openDuration`, so an instance that comes back always gets traffic again.
final class CircuitBreaker: Sendable {
    private enum State {
        case closed(failures: Int)
        case open(until: ContinuousClock.Instant)
        /// One trial request is out; another may go once `expires` has passed without a verdict.
        case halfOpen(expires: ContinuousClock.Instant)
    }

    /// What ``acquire(now:)`` granted; a trial must be settled with success, failure or ``release(_:now:)``.
    enum Permit {
        case closed
        case trial
    }

    private let state = NIOLockedValueBox<State>(.closed(failures: 0))
    let threshold: Int
    let openDuration: Duration

    init(threshold: Int, openDuration: Duration) {
        self.threshold = max(1, threshold)
        self.openDuration = openDuration
    }

    /// Whether a request could go now (for ordering candidates; changes nothing).
    func permits(now: ContinuousClock.Instant = .now) -> Bool {
        self.state.withLockedValue { state in
            switch state {
            case .closed: true
            case .open(let until): now >= until
            case .halfOpen(let expires): now >= expires
            }
        }
    }

    /// Takes the right to send one request now: always when closed, the single trial when the open time is up.
    func acquire(now: ContinuousClock.Instant = .now) -> Permit? {
        self.state.withLockedValue { state in
            switch state {
            case .closed:
                return .closed
            case .open(let deadline), .halfOpen(let deadline):
                guard now >= deadline else { return nil }
                state = .halfOpen(expires: now + self.openDuration)
                return .trial
            }
        }
    }

    /// A trial ended without saying anything about the instance: the next request may try again at once.
    func release(_ permit: Permit, now: ContinuousClock.Instant = .now) {
        guard case .trial = permit else { return }
        self.state.withLockedValue { state in
            if case .halfOpen = state { state = .open(until: now) }
        }
    }

    func recordSuccess() {
        self.state.withLockedValue { $0 = .closed(failures: 0) }
    }

    func recordFailure(now: ContinuousClock.Instant = .now) {
        self.state.withLockedValue { state in
            switch state {
            case .closed(let failures) where failures + 1 < self.threshold:
                state = .closed(failures: failures + 1)
            default:
                state = .open(until: now + self.openDuration)
            }
        }
    }

    /// A health probe answered: once the open time is up this counts as a successful trial. (Not sooner: an
    /// instance whose `/healthz` answers while its API times out still gets its open time.)
    func probeSucceeded(now: ContinuousClock.Instant = .now) {
        self.state.withLockedValue { state in
            switch state {
            case .closed: break
            case .open(let until): if now >= until { state = .closed(failures: 0) }
            case .halfOpen: state = .closed(failures: 0)
            }
        }
    }
}
