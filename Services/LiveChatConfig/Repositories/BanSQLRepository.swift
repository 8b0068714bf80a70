import SQLKit
import ServiceKit
import WireModels

/// ``BanRepository`` on SQLite or PostgreSQL.
struct BanSQLRepository: BanRepository {
    let database: Database

    func bans(siteId: String) async throws -> [LiveChatBan] {
        try await self.database.sql.raw(
            """
            SELECT id, type, visitor_id, ip_address, comment FROM bans WHERE site_id = \(bind: siteId) ORDER BY id
            """
        ).all().map(Self.ban)
    }

    func ban(id: Int, siteId: String) async throws -> LiveChatBan? {
        try await self.database.sql.raw(
            """
            SELECT id, type, visitor_id, ip_address, comment FROM bans WHERE id = \(bind: id) AND site_id = \(bind: siteId)
            """
        ).first().map(Self.ban)
    }

    func create(_ ban: LiveChatBan, siteId: String) async throws -> LiveChatBan {
        let row = try await self.database.sql.raw(
            """
            INSERT INTO bans (site_id, type, visitor_id, ip_address, comment)
            VALUES (\(bind: siteId), \(bind: ban.type), \(bind: ban.visitorId), \(bind: ban.ipAddress), \(bind: ban.comment)) RETURNING id
            """
        ).first()
        var created = ban
        created.id = try row?.decode(column: "id", as: Int.self)
        return created
    }

    func update(_ ban: LiveChatBan, siteId: String) async throws -> Bool {
        !(try await self.database.sql.raw(
            """
            UPDATE bans SET type = \(bind: ban.type), visitor_id = \(bind: ban.visitorId), ip_address = \(bind: ban.ipAddress), comment = \(bind: ban.comment)
            WHERE id = \(bind: ban.id ?? 0) AND site_id = \(bind: siteId) RETURNING id
            """
        ).all().isEmpty)
    }

    func delete(id: Int, siteId: String) async throws -> Bool {
        !(try await self.database.sql.raw("DELETE FROM bans WHERE id = \(bind: id) AND site_id = \(bind: siteId) RETURNING id").all().isEmpty)
    }

    static func ban(_ row: any SQLRow) throws -> LiveChatBan {
        LiveChatBan(
            id: try row.decode(column: "id", as: Int.self),
            type: try row.decode(column: "type", as: String.self),
            visitorId: try row.decode(column: "visitor_id", as: String?.self),
            ipAddress: try row.decode(column: "ip_address", as: String?.self),
            comment: try row.decode(column: "comment", as: String?.self)
        )
    }
}
