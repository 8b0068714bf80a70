import SQLKit
import ServiceKit
import WireModels

/// Where configuration documents live: a site, a campaign of it (0: the site itself) and the kind of object.
struct ConfigurationScope: Sendable, Hashable {
    var siteId: String
    var campaignId = 0
    var kind: String
}

/// The outcome of writing an object whose name must be unique in its scope.
enum ItemWrite: Sendable, Equatable {
    case written(id: Int)
    case nameTaken
    case missing
}

/// A stored document, decoded once from its JSON text into the type it is stored as.
struct DocumentRow<Document: Codable & Sendable>: Decodable {
    var id: Int?
    var body: JSONText<Document>
}

/// The configuration documents of sites and campaigns: lists of objects (campaigns, departments, canned messages,
/// auto invitations...) in `config_items` and one-per-scope settings (chat button, auto allocation...) in
/// `config_singletons`. Each document is JSON text read and written whole; the columns are what SQL scopes, finds,
/// keeps unique and filters by (decision 103).
struct ConfigurationSQLRepository: Sendable {
    let database: Database

    /// The scope's objects in id order, each with its id: the public ones and those private to `agentId`.
    func items<Object: LiveChatObject>(_ type: Object.Type, in scope: ConfigurationScope, visibleTo agentId: Int? = nil) async throws -> [Object] {
        try await self.database.readStatement { sql in
            try await Self.visible(sql, scope, to: agentId).orderBy("id").all(DocumentRow<Object>.self).map(\.object)
        }
    }

    /// One object of the scope, when it is public or private to `agentId`.
    func item<Object: LiveChatObject>(
        _ type: Object.Type, id: Int, in scope: ConfigurationScope, visibleTo agentId: Int? = nil
    ) async throws -> Object? {
        try await self.database.readStatement { sql in
            try await Self.visible(sql, scope, to: agentId).where("id", .equal, id).first(DocumentRow<Object>.self)?.object
        }
    }

    /// Whether the scope has the object, whoever owns it.
    func contains(id: Int, in scope: ConfigurationScope) async throws -> Bool {
        try await self.database.readStatement { sql in
            try await Self.scoped(sql.select().column("id").from("config_items"), scope).where("id", .equal, id).first() != nil
        }
    }

    /// Stores a new object; `nameKey` non-nil makes the name unique in the scope.
    func insert(_ object: some LiveChatObject, nameKey: String?, ownerId: Int?, in scope: ConfigurationScope) async throws -> ItemWrite {
        try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "config_items").columns("site_id", "campaign_id", "kind", "name_key", "owner_id", "body")
                .values(
                    SQLBind(scope.siteId), SQLBind(scope.campaignId), SQLBind(scope.kind), SQLBind(nameKey), SQLBind(ownerId),
                    SQLBind(JSONText(object))
                )
                .ignoringConflicts(with: ["site_id", "campaign_id", "kind", "name_key"]).returning("id").first(IDRow.self)
            return row.map { .written(id: Int($0.id)) } ?? .nameTaken
        }
    }

    /// Replaces the object with `object.id`; `nameKey` as for ``insert(_:nameKey:ownerId:in:)``.
    func update(_ object: some LiveChatObject, nameKey: String?, in scope: ConfigurationScope) async throws -> ItemWrite {
        let id = object.id ?? 0
        return try await self.database.transaction { tx in
            if let nameKey,
                try await Self.scoped(tx.sql.select().column("id").from("config_items"), scope).where("name_key", .equal, nameKey)
                    .where("id", .notEqual, id).first() != nil
            {
                return .nameTaken
            }
            let updated = try await Self.scoped(tx.sql.update("config_items"), scope).set("body", to: JSONText(object)).set("name_key", to: nameKey)
                .where("id", .equal, id).returning("id").first()
            return updated == nil ? .missing : .written(id: id)
        }
    }

    func delete(id: Int, in scope: ConfigurationScope) async throws -> Bool {
        try await self.database.transaction { tx in
            try await Self.scoped(tx.sql.delete(from: "config_items"), scope).where("id", .equal, id).returning("id").first() != nil
        }
    }

    /// The scope's settings document, nil before it is first written.
    func setting<Setting: Codable & Sendable>(_ type: Setting.Type, in scope: ConfigurationScope) async throws -> Setting? {
        try await self.database.readStatement { sql in
            try await Self.scoped(sql.select().column("body").from("config_singletons"), scope).first(DocumentRow<Setting>.self)?.body.value
        }
    }

    func putSetting<Setting: Codable & Sendable>(_ setting: Setting, in scope: ConfigurationScope) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.insert(into: "config_singletons").columns("site_id", "campaign_id", "kind", "body")
                .values(SQLBind(scope.siteId), SQLBind(scope.campaignId), SQLBind(scope.kind), SQLBind(JSONText(setting)))
                .onConflict(with: ["site_id", "campaign_id", "kind"]) { $0.set(excludedValueOf: "body") }.run()
        }
    }

    /// Removes everything a campaign owns.
    func deleteCampaignDocuments(campaignId: Int, siteId: String) async throws {
        try await self.database.transaction { tx in
            for table in ["config_items", "config_singletons"] {
                try await tx.sql.delete(from: table).where("site_id", .equal, siteId).where("campaign_id", .equal, campaignId).run()
            }
        }
    }

    /// `builder` narrowed to the scope.
    static func scoped<Builder: SQLPredicateBuilder>(_ builder: Builder, _ scope: ConfigurationScope) -> Builder {
        builder.where("site_id", .equal, scope.siteId).where("campaign_id", .equal, scope.campaignId).where("kind", .equal, scope.kind)
    }

    /// The scope's objects that are public or private to `agentId` (nil: public ones only).
    static func visible(_ sql: any SQLDatabase, _ scope: ConfigurationScope, to agentId: Int?) -> SQLSelectBuilder {
        Self.scoped(sql.select().columns("id", "body").from("config_items"), scope).where { group in
            group.where("owner_id", .is, SQLLiteral.null).orWhere("owner_id", .equal, agentId ?? -1)
        }
    }
}

extension DocumentRow where Document: LiveChatObject {
    /// The object with the id the store assigned.
    var object: Document {
        var object = self.body.value
        object.id = self.id
        return object
    }
}
