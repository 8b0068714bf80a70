import SQLKit

/// A counts table kept in step with a table by triggers, in both engines: whatever writes a row, its count follows in
/// the same transaction. conversation's day counts and chatwoot-groups' tab counts use it.
public struct CountingTriggers: Sendable {
    /// The triggers' names start with it (PostgreSQL's function too).
    public var name: String
    /// The counted table.
    public var table: String
    /// The counted table's columns whose change moves a row to another count (`UPDATE OF`).
    public var columns: [String]
    /// Statement adding `NEW` to its count (an upsert), ending with `;`.
    public var add: String
    /// Statement taking `OLD` off its count, ending with `;`.
    public var remove: String
    /// Condition true when an update moved the row to another count (in `OLD` and `NEW`).
    public var moved: String

    public init(name: String, table: String, columns: [String], add: String, remove: String, moved: String) {
        self.name = name
        self.table = table
        self.columns = columns
        self.add = add
        self.remove = remove
        self.moved = moved
    }

    /// Creates the triggers (SQLite: one per operation; PostgreSQL: one row trigger calling a PL/pgSQL function).
    public func create(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        let columns = self.columns.joined(separator: ", ")
        switch engine {
        case .sqlite:
            try await sql.raw(
                "CREATE TRIGGER \(unsafeRaw: self.name)_counted AFTER INSERT ON \(unsafeRaw: self.table) BEGIN \(unsafeRaw: self.add) END"
            )
            .run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: self.name)_recounted AFTER UPDATE OF \(unsafeRaw: columns) ON \(unsafeRaw: self.table)
                WHEN \(unsafeRaw: self.moved)
                BEGIN \(unsafeRaw: self.remove) \(unsafeRaw: self.add) END
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER \(unsafeRaw: self.name)_uncounted AFTER DELETE ON \(unsafeRaw: self.table) BEGIN \(unsafeRaw: self.remove) END"
            ).run()
        case .postgres:
            try await sql.raw(
                """
                CREATE FUNCTION \(unsafeRaw: self.name)_count() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NOT (\(unsafeRaw: self.moved)) THEN
                        RETURN NEW;
                    END IF;
                    IF TG_OP <> 'INSERT' THEN
                        \(unsafeRaw: self.remove)
                    END IF;
                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    \(unsafeRaw: self.add)
                    RETURN NEW;
                END
                $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: self.name)_counted AFTER INSERT OR DELETE OR UPDATE OF \(unsafeRaw: columns)
                ON \(unsafeRaw: self.table) FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: self.name)_count()
                """
            ).run()
        }
    }
}
