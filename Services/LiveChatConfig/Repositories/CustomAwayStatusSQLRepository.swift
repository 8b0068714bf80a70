import SQLKit
import ServiceKit
import WireModels

/// A site's custom away statuses, in `custom_away_statuses`; the unique index on the lower-cased name decides
/// duplicates even when two requests race.
struct CustomAwayStatusSQLRepository: Sendable {
    let database: Database

    func statuses(siteId: String) async throws -> [LiveChatCustomAwayStatus] {
        try await self.database.readStatement { try await Self.select($0, siteId: siteId).orderBy("id").all(LiveChatCustomAwayStatus.self) }
    }

    func status(id: Int, siteId: String) async throws -> LiveChatCustomAwayStatus? {
        try await self.database.readStatement {
            try await Self.select($0, siteId: siteId).where("id", .equal, id).first(LiveChatCustomAwayStatus.self)
        }
    }

    /// Stores a new status; nil when the site already has one of that name (case-insensitive).
    func create(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> LiveChatCustomAwayStatus? {
        try await self.database.transaction { tx in
            try await tx.sql.insert(into: "custom_away_statuses").columns("site_id", "name", "name_key", "is_visible")
                .values(SQLBind(siteId), SQLBind(status.name), SQLBind(status.name.lowercased()), SQLBind(status.isVisible ?? true))
                .ignoringConflicts(with: ["site_id", "name_key"]).returning("id", "name", "is_visible").first(LiveChatCustomAwayStatus.self)
        }
    }

    /// Replaces a status; false when another status of the site has that name.
    func update(_ status: LiveChatCustomAwayStatus, siteId: String) async throws -> Bool {
        try await self.database.transaction { tx in
            let clash = try await Self.select(tx.sql, siteId: siteId).where("name_key", .equal, status.name.lowercased())
                .where("id", .notEqual, status.id ?? 0).first()
            guard clash == nil else { return false }
            try await tx.sql.update("custom_away_statuses").set("name", to: status.name).set("name_key", to: status.name.lowercased())
                .set("is_visible", to: status.isVisible ?? true).where("id", .equal, status.id ?? 0).where("site_id", .equal, siteId).run()
            return true
        }
    }

    func delete(id: Int, siteId: String) async throws -> Bool {
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "custom_away_statuses").where("id", .equal, id).where("site_id", .equal, siteId).returning("id").first()
                != nil
        }
    }

    /// The site's statuses, the columns a status has.
    static func select(_ sql: any SQLDatabase, siteId: String) -> SQLSelectBuilder {
        sql.select().columns("id", "name", "is_visible").from("custom_away_statuses").where("site_id", .equal, siteId)
    }
}
