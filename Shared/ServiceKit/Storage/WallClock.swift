import Foundation

/// The source of "now" for time-based rules, replaceable in tests.
public struct WallClock: Sendable {
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public static let system = WallClock()

    public func date() -> Date { self.now() }

    /// Milliseconds since 1970: the portable timestamp column type of both engines.
    public func milliseconds() -> Int64 { Int64((self.now().timeIntervalSince1970 * 1000).rounded()) }

    public static func epochMilliseconds() -> Int64 { WallClock.system.milliseconds() }
}
