import Foundation
import ServiceKit
import Synchronization

/// Where the Contact API's requests reach the database: a site's system fields are added the first time the site
/// is seen (decision 121), and every write to a site's contacts or fields runs under the site's lock, so uniqueness
/// checks and the writes after them see the same contacts on PostgreSQL too (SQLite has one writer).
final class ContactStore: Sendable {
    let database: Database
    let clock: WallClock
    /// Sites known to have their system fields, so the check is one query per site and process.
    private let seeded = Mutex<Set<String>>([])

    init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    var now: Int64 { self.clock.milliseconds() }

    /// Reads on one snapshot, once the site has its system fields.
    func read<T: Sendable>(site: String, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.prepare(site: site)
        return try await self.database.read(body)
    }

    /// Writes in one transaction holding the site's lock, once the site has its system fields.
    func write<T: Sendable>(site: String, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.prepare(site: site)
        return try await self.database.transaction { tx in
            try await tx.lock(Self.lockKey(site: site))
            return try await body(tx)
        }
    }

    /// Adds the site's system fields if it has none yet (in a transaction of its own, so a request that fails later
    /// does not take them back with it).
    func prepare(site: String) async throws {
        guard !self.seeded.withLock({ $0.contains(site) }) else { return }
        try await self.database.transaction { tx in
            try await tx.lock(Self.lockKey(site: site))
            let fields = ContactFieldSQLRepository(sql: tx.sql)
            if try await !fields.hasSystemFields(site: site) { try await fields.addSystemFields(site: site) }
        }
        _ = self.seeded.withLock { $0.insert(site) }
    }

    /// The advisory lock of a site's contacts: FNV-1a of the site id in its own key space.
    static func lockKey(site: String) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "outreach-contact:contacts:\(site)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return Int64(bitPattern: hash)
    }
}

extension Tx {
    var contactFields: ContactFieldSQLRepository { ContactFieldSQLRepository(sql: self.sql) }
    var contacts: ContactSQLRepository { ContactSQLRepository(sql: self.sql) }
}
