/// One dependency `/readyz` checks: storage, or a service this one calls.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async throws -> Void

    public init(_ name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// Storage is reachable.
    public static func database(_ database: Database) -> ReadinessCheck {
        ReadinessCheck("database") { try await database.ping() }
    }
}
