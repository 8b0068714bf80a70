import SQLKit
import ServiceKit
import WireModels

/// A site's bans, in `bans`.
struct BanSQLRepository: Sendable {
    let database: Database

    func bans(siteId: String) async throws -> [LiveChatBan] {
        try await self.database.readStatement { try await Self.select($0, siteId: siteId).orderBy("id").all(LiveChatBan.self) }
    }

    func ban(id: Int, siteId: String) async throws -> LiveChatBan? {
        try await self.database.readStatement { try await Self.select($0, siteId: siteId).where("id", .equal, id).first(LiveChatBan.self) }
    }

    /// Stores a new ban and returns it with its id.
    func create(_ ban: LiveChatBan, siteId: String) async throws -> LiveChatBan {
        var created = ban
        created.id = try await self.database.transaction { tx in
            try await tx.sql.insert(into: "bans").columns("site_id", "type", "visitor_id", "ip_address", "comment")
                .values(SQLBind(siteId), SQLBind(ban.type), SQLBind(ban.visitorId), SQLBind(ban.ipAddress), SQLBind(ban.comment))
                .returning("id").first(IDRow.self).map { Int($0.id) }
        }
        return created
    }

    /// Replaces a ban; false when the site has no such ban.
    func update(_ ban: LiveChatBan, siteId: String) async throws -> Bool {
        try await self.database.transaction { tx in
            try await tx.sql.update("bans").set("type", to: ban.type).set("visitor_id", to: ban.visitorId).set("ip_address", to: ban.ipAddress)
                .set("comment", to: ban.comment).where("id", .equal, ban.id ?? 0).where("site_id", .equal, siteId).returning("id").first() != nil
        }
    }

    func delete(id: Int, siteId: String) async throws -> Bool {
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "bans").where("id", .equal, id).where("site_id", .equal, siteId).returning("id").first() != nil
        }
    }

    /// The site's bans, the columns a ban has.
    static func select(_ sql: any SQLDatabase, siteId: String) -> SQLSelectBuilder {
        sql.select().columns("id", "type", "visitor_id", "ip_address", "comment").from("bans").where("site_id", .equal, siteId)
    }
}
