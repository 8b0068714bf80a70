import ServiceKit

extension Tx {
    /// Chats, offline messages and agent chats on this transaction.
    var chats: ChatSQLRepository { ChatSQLRepository(sql: self.sql) }

    /// Holds the site's lock until the transaction ends (PostgreSQL's advisory lock on the site id's FNV-1a hash;
    /// SQLite's one writer needs none), so a site's read-modify-writes (a merge patch, a name check, an allocation)
    /// run one at a time across instances (decision 104).
    func lock(site: String) async throws {
        try await self.lock(Int64(bitPattern: site.utf8.reduce(14_695_981_039_346_656_037 as UInt64) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }))
    }
}

extension Database {
    /// Runs `body` in a transaction holding the site's lock; the repositories `body` calls join the transaction.
    func write<T: Sendable>(site: String, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.transaction { tx in
            try await tx.lock(site: site)
            return try await body(tx)
        }
    }
}
