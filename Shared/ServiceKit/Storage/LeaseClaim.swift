import SQLKit

/// Claims due rows of a work table (`status`, `due_at`, `lease_owner`, `lease_until`) for one worker.
///
/// A claimed row is leased: no other worker takes it until the lease runs out, so a worker that dies
/// mid-job has its work picked up again. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several instances
/// claim side by side without ever taking the same row.
public struct LeaseClaim: Sendable {
    let table: String
    /// What the claim returns of each row.
    let columns: [String]
    /// The `status` of a row waiting for work (a table whose rows have a life beyond the work names its own).
    let pending: String

    public init(table: String, columns: [String], pending: String = "pending") {
        self.table = table
        self.columns = columns
        self.pending = pending
    }

    /// Leases up to `limit` due rows to `owner` until `now + leaseMilliseconds` and returns them as `Row`s.
    /// `sql` is a transaction's connection (`tx.sql`).
    public func claim<Row: Decodable>(
        _ row: Row.Type,
        on sql: any SQLDatabase,
        owner: String,
        now: Int64,
        leaseMilliseconds: Int64,
        limit: Int
    ) async throws -> [Row] {
        let due = SQLSubquery.select {
            $0.column("id").from(self.table)
                .where("status", .equal, self.pending)
                .where("due_at", .lessThanOrEqual, now)
                .where(group: { $0.where("lease_until", .is, SQLLiteral.null).orWhere("lease_until", .lessThan, now) })
                .orderBy("due_at").orderBy("id")
                .limit(limit)
                .lockingClause(ForUpdateSkipLocked())
        }
        return try await sql.update(self.table)
            .set("lease_owner", to: owner)
            .set("lease_until", to: now + leaseMilliseconds)
            .where("id", .in, due)
            .returning(self.columns.map { SQLColumn($0) })
            .all(Row.self)
    }
}

/// `FOR UPDATE SKIP LOCKED` on a dialect with row locks (PostgreSQL): rows another worker is claiming are passed
/// over instead of waited for. Nothing on one without (SQLite, whose single writer claims one batch at a time).
struct ForUpdateSkipLocked: SQLExpression {
    func serialize(to serializer: inout SQLSerializer) {
        guard serializer.dialect.exclusiveSelectLockExpression != nil else { return }
        SQLLockingClause.update.serialize(to: &serializer)
        serializer.write(" SKIP LOCKED")
    }
}
