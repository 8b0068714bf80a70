import SQLKit
import ServiceKit
import WireModels

/// A site's custom away statuses.
protocol CustomAwayStatusRepository: Sendable {
    func statuses(siteId: String) async throws -> [LiveChatCustomAwayStatus]
    func status(id: Int, siteId: String) async throws -> LiveChatCustomAwayStatus?
    /// Stores a new status; nil when the site already has one of that name (case-insensitive).
    func create(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> LiveChatCustomAwayStatus?
    /// Replaces a status; false when another status of the site has that name.
    func update(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> Bool
    func delete(id: Int, siteId: String) async throws -> Bool
}

/// ``CustomAwayStatusRepository`` on SQLite or PostgreSQL; the unique index on the lower-cased name decides
/// duplicates even when two requests race.
struct CustomAwayStatusSQLRepository: CustomAwayStatusRepository {
    let database: Database

    func statuses(siteId: String) async throws -> [LiveChatCustomAwayStatus] {
        try await self.database.sql.raw("SELECT id, name, is_visible FROM custom_away_statuses WHERE site_id = \(bind: siteId) ORDER BY id")
            .all().map(Self.status)
    }

    func status(id: Int, siteId: String) async throws -> LiveChatCustomAwayStatus? {
        try await self.database.sql.raw(
            """
            SELECT id, name, is_visible FROM custom_away_statuses WHERE id = \(bind: id) AND site_id = \(bind: siteId)
            """
        ).first().map(Self.status)
    }

    func create(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> LiveChatCustomAwayStatus? {
        try await self.database.sql.raw(
            """
            INSERT INTO custom_away_statuses (site_id, name, name_key, is_visible)
            VALUES (\(bind: siteId), \(bind: status.name), \(bind: status.name.lowercased()), \(bind: status.isVisible ?? true))
            ON CONFLICT (site_id, name_key) DO NOTHING RETURNING id, name, is_visible
            """
        ).first().map(Self.status)
    }

    func update(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> Bool {
        try await self.database.withTransaction { database in
            let clash = try await database.raw(
                """
                SELECT id FROM custom_away_statuses WHERE site_id = \(bind: siteId) AND name_key = \(bind: status.name.lowercased()) AND id <> \(bind: status.id ?? 0)
                """
            ).first()
            guard clash == nil else { return false }
            try await database.raw(
                """
                UPDATE custom_away_statuses SET name = \(bind: status.name), name_key = \(bind: status.name.lowercased()), is_visible = \(bind: status.isVisible ?? true)
                WHERE id = \(bind: status.id ?? 0) AND site_id = \(bind: siteId)
                """
            ).run()
            return true
        }
    }

    func delete(id: Int, siteId: String) async throws -> Bool {
        !(try await self.database.sql.raw("DELETE FROM custom_away_statuses WHERE id = \(bind: id) AND site_id = \(bind: siteId) RETURNING id").all()
            .isEmpty)
    }

    static func status(_ row: any SQLRow) throws -> LiveChatCustomAwayStatus {
        LiveChatCustomAwayStatus(
            id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
            isVisible: try row.decode(column: "is_visible", as: Bool.self)
        )
    }
}
