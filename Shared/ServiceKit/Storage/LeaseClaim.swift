import SQLKit

/// Claims due rows of a work table (`status`, `due_at`, `lease_owner`, `lease_until`) for one worker.
///
/// A claimed row is leased: no other worker takes it until the lease runs out, so a worker that dies
/// mid-job has its work picked up again. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several instances
/// claim side by side without ever taking the same row.
struct LeaseClaim {
    let table: String
    let columns: [String]

    func claim(
        on database: any SQLDatabase,
        engine: Database.Engine,
        owner: String,
        now: Int64,
        leaseMilliseconds: Int64,
        limit: Int
    ) async throws -> [any SQLRow] {
        let lock = engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let query = """
            UPDATE \(unsafeRaw: table) SET lease_owner = \(bind: owner), lease_until = \(bind: now + leaseMilliseconds)
            WHERE id IN (
                SELECT id FROM \(unsafeRaw: table)
                WHERE status = 'pending' AND due_at <= \(bind: now) AND (lease_until IS NULL OR lease_until < \(bind: now))
                ORDER BY due_at, id LIMIT \(literal: limit)\(unsafeRaw: lock)
            )
            RETURNING \(unsafeRaw: columns.joined(separator: ", "))
            """ as SQLQueryString
        return try await database.raw(query).all()
    }
}
