import NIOConcurrencyHelpers

/// Stops sending to an instance after `threshold` consecutive failures, for `openDuration`; then lets one
/// trial request through (half-open) and closes again on its success.
final class CircuitBreaker: Sendable {
    private enum State {
        case closed(failures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    private let state = NIOLockedValueBox<State>(.closed(failures: 0))
    let threshold: Int
    let openDuration: Duration

    init(threshold: Int, openDuration: Duration) {
        self.threshold = max(1, threshold)
        self.openDuration = openDuration
    }

    /// Whether a request may go now; an expired open state lets exactly one trial through.
    func allowsRequest(now: ContinuousClock.Instant = .now) -> Bool {
        self.state.withLockedValue { state in
            switch state {
            case .closed: return true
            case .halfOpen: return false
            case .open(let until):
                guard now >= until else { return false }
                state = .halfOpen
                return true
            }
        }
    }

    /// Whether requests would currently be refused (for health reporting; changes nothing).
    var isOpen: Bool {
        self.state.withLockedValue { state in
            if case .open(let until) = state { return ContinuousClock.now < until }
            return false
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
}
