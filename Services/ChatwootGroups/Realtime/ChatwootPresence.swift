import SQLKit
import ServiceKit
import Synchronization

/// Which users and contacts have been on `/cable` lately (Chatwoot's `OnlineStatusTracker`: a subscription or
/// `update_presence` in the last 20 s). The cable records it; `presence.update` and auto assignment read it, as Chatwoot
/// assigns only agents who are online.
///
/// On PostgreSQL a subscriber online on any instance is online on every one (decision 362): each instance keeps its own
/// subscribers in memory and writes them to `cable_presence` at most every ``heartbeatMilliseconds``; readers take the
/// table's rows within the window plus their own memory. SQLite's one process needs only the memory.
final class ChatwootPresence: Sendable {
    enum Kind: String, Sendable {
        case user
        case contact
    }

    private struct Key: Hashable {
        let account: Int
        let kind: Kind
        let id: Int
    }

    private struct State {
        /// When each subscriber was last seen here (epoch ms).
        var seen: [Key: Int64] = [:]
        /// When each subscriber's row was last written.
        var written: [Key: Int64] = [:]
    }

    private let state = Mutex(State())
    let database: Database?

    /// How long a user or contact counts as present after it was last seen, in milliseconds.
    static let window: Int64 = 20_000
    /// A subscriber's row is written at most this often; its row may be this much older than its last sighting.
    static let heartbeatMilliseconds: Int64 = 5_000

    /// Presence in `database`'s `cable_presence` as well as in memory when `database` is PostgreSQL's.
    init(database: Database? = nil) {
        self.database = database?.engine == .postgres ? database : nil
    }

    /// Records `kind` `id` of `account` as seen at `now`; on PostgreSQL writes its row unless written lately.
    func record(account: Int, _ kind: Kind, _ id: Int, at now: Int64) async throws {
        let key = Key(account: account, kind: kind, id: id)
        let write = self.state.withLock { state -> Bool in
            state.seen[key] = now
            state.seen = state.seen.filter { $0.value >= now - Self.window }
            guard self.database != nil, (state.written[key] ?? .min) <= now - Self.heartbeatMilliseconds else { return false }
            state.written[key] = now
            state.written = state.written.filter { $0.value >= now - Self.window }
            return true
        }
        guard write, let database else { return }
        try await database.transaction { tx in
            try await tx.sql.insert(into: "cable_presence").columns("account_id", "kind", "subject_id", "seen_at")
                .values(SQLBind(account), SQLBind(kind.rawValue), SQLBind(id), SQLBind(now))
                .onConflict(with: ["account_id", "kind", "subject_id"]) { $0.set(excludedValueOf: "seen_at") }.run()
        }
    }

    /// The account's users (or contacts) seen within the window before `now`, on any instance.
    func online(account: Int, _ kind: Kind, at now: Int64) async throws -> Set<Int> {
        let since = now - Self.window
        var online = self.state.withLock { state in
            Set(state.seen.filter { $0.key.account == account && $0.key.kind == kind && $0.value >= since }.map(\.key.id))
        }
        if let database {
            let rows = try await database.readStatement { sql in
                try await sql.select().column("subject_id").from("cable_presence").where("account_id", .equal, SQLBind(account))
                    .where("kind", .equal, SQLBind(kind.rawValue)).where("seen_at", .greaterThanOrEqual, SQLBind(since)).all(SubjectRow.self)
            }
            online.formUnion(rows.map(\.subjectId))
        }
        return online
    }

    /// The account's users seen within the window before `now`, on any instance.
    func users(account: Int, at now: Int64) async throws -> Set<Int> {
        try await self.online(account: account, .user, at: now)
    }

    private struct SubjectRow: Decodable {
        var subjectId: Int
    }
}
