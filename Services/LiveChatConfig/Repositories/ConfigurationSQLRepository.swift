import Foundation
import SQLKit
import ServiceKit
import WireModels

/// ``ConfigurationRepository`` on SQLite or PostgreSQL: `config_items` and `config_singletons`.
struct ConfigurationSQLRepository: ConfigurationRepository {
    let database: Database

    func items(in scope: ConfigurationScope, visibleTo agentId: Int?) async throws -> [StoredItem] {
        try await self.database.sql.raw(
            """
            SELECT id, owner_id, body FROM config_items
            WHERE site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId) AND kind = \(bind: scope.kind)
            AND (owner_id IS NULL OR owner_id = \(bind: agentId ?? -1)) ORDER BY id
            """
        ).all().map(Self.item)
    }

    func item(id: Int, in scope: ConfigurationScope) async throws -> StoredItem? {
        try await self.database.sql.raw(
            """
            SELECT id, owner_id, body FROM config_items
            WHERE id = \(bind: id) AND site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId) AND kind = \(bind: scope.kind)
            """
        ).first().map(Self.item)
    }

    func insert(_ body: JSONValue, nameKey: String?, ownerId: Int?, in scope: ConfigurationScope) async throws -> ItemWrite {
        let row = try await self.database.sql.raw(
            """
            INSERT INTO config_items (site_id, campaign_id, kind, name_key, owner_id, body)
            VALUES (\(bind: scope.siteId), \(bind: scope.campaignId), \(bind: scope.kind), \(bind: nameKey), \(bind: ownerId), \(bind: try Self.text(body)))
            ON CONFLICT (site_id, campaign_id, kind, name_key) DO NOTHING RETURNING id
            """
        ).first()
        guard let row else { return .nameTaken }
        return .written(id: try row.decode(column: "id", as: Int.self))
    }

    func update(id: Int, _ body: JSONValue, nameKey: String?, in scope: ConfigurationScope) async throws -> ItemWrite {
        let text = try Self.text(body)
        return try await self.database.withTransaction { database in
            if let nameKey {
                let clash = try await database.raw(
                    """
                    SELECT id FROM config_items WHERE site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId)
                    AND kind = \(bind: scope.kind) AND name_key = \(bind: nameKey) AND id <> \(bind: id)
                    """
                ).first()
                guard clash == nil else { return .nameTaken }
            }
            let updated = try await database.raw(
                """
                UPDATE config_items SET body = \(bind: text), name_key = \(bind: nameKey)
                WHERE id = \(bind: id) AND site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId) AND kind = \(bind: scope.kind)
                RETURNING id
                """
            ).first()
            return updated == nil ? .missing : .written(id: id)
        }
    }

    func delete(id: Int, in scope: ConfigurationScope) async throws -> Bool {
        try await self.database.sql.raw(
            """
            DELETE FROM config_items
            WHERE id = \(bind: id) AND site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId) AND kind = \(bind: scope.kind)
            RETURNING id
            """
        ).first() != nil
    }

    func setting(in scope: ConfigurationScope) async throws -> JSONValue? {
        try await self.database.sql.raw(
            """
            SELECT body FROM config_singletons
            WHERE site_id = \(bind: scope.siteId) AND campaign_id = \(bind: scope.campaignId) AND kind = \(bind: scope.kind)
            """
        ).first().map { try Self.json(try $0.decode(column: "body", as: String.self)) }
    }

    func putSetting(_ body: JSONValue, in scope: ConfigurationScope) async throws {
        try await self.database.sql.raw(
            """
            INSERT INTO config_singletons (site_id, campaign_id, kind, body)
            VALUES (\(bind: scope.siteId), \(bind: scope.campaignId), \(bind: scope.kind), \(bind: try Self.text(body)))
            ON CONFLICT (site_id, campaign_id, kind) DO UPDATE SET body = excluded.body
            """
        ).run()
    }

    func deleteCampaignDocuments(campaignId: Int, siteId: String) async throws {
        try await self.database.withTransaction { database in
            try await database.raw("DELETE FROM config_items WHERE site_id = \(bind: siteId) AND campaign_id = \(bind: campaignId)").run()
            try await database.raw("DELETE FROM config_singletons WHERE site_id = \(bind: siteId) AND campaign_id = \(bind: campaignId)").run()
        }
    }

    static func item(_ row: any SQLRow) throws -> StoredItem {
        StoredItem(
            id: try row.decode(column: "id", as: Int.self), ownerId: try row.decode(column: "owner_id", as: Int?.self),
            body: try Self.json(try row.decode(column: "body", as: String.self))
        )
    }

    static func text(_ body: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
