import Foundation
import NIOConcurrencyHelpers
import ServiceKit

/// A clock a test moves by hand, for time-based rules (retries minutes apart) without waiting.
public final class ManualClock: Sendable {
    private let now: NIOLockedValueBox<Date>

    public init(_ start: Date = Date()) {
        self.now = .init(start)
    }

    public var wallClock: WallClock {
        WallClock { self.now.withLockedValue { $0 } }
    }

    public func advance(by seconds: TimeInterval) {
        self.now.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }
}
