import ServiceKit

extension ConversationStore {
    /// A transaction holding the lock of one site's `scope` (its channel accounts, fields or blocked senders), so
    /// two writers checking a name or value is free cannot both insert it on PostgreSQL (SQLite has one writer).
    func write<T: Sendable>(site: String, scope: String, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.database.transaction { tx in
            try await tx.lock(Self.lockKey("\(scope):\(site)"))
            return try await body(tx)
        }
    }

    /// FNV-1a of `name`, the lock's key.
    static func lockKey(_ name: String) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }
}
