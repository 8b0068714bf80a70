import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Channel accounts, fields with their options and values, blocked senders and junk (decisions 229–238); every
/// statement is scoped by the site.
struct SettingsSQLRepository {
    let sql: any SQLDatabase

    // MARK: Channel accounts

    /// The site's accounts, of one channel or all, by channel then name.
    func channelAccounts(site: String, channel: String?) async throws -> [ChannelAccountRow] {
        let select = self.sql.select().column("*").from("conversation_channel_accounts").where("site_id", .equal, site)
        if let channel { select.where("channel_id", .equal, channel) }
        return try await select.orderBy("channel_id").orderBy("name_key").orderBy("id").all(ChannelAccountRow.self)
    }

    func channelAccount(id: String, site: String) async throws -> ChannelAccountRow? {
        try await self.sql.select().column("*").from("conversation_channel_accounts").where("site_id", .equal, site).where("id", .equal, id)
            .first(ChannelAccountRow.self)
    }

    /// The site's account of `channel` named `nameKey` (lower-cased), if any.
    func channelAccount(named nameKey: String, channel: String, site: String) async throws -> ChannelAccountRow? {
        try await self.sql.select().column("*").from("conversation_channel_accounts").where("site_id", .equal, site)
            .where("channel_id", .equal, channel).where("name_key", .equal, nameKey).first(ChannelAccountRow.self)
    }

    func insert(_ row: ChannelAccountRow) async throws {
        try await self.sql.insert(into: "conversation_channel_accounts").row(row).run()
    }

    func update(_ row: ChannelAccountRow) async throws {
        try await self.sql.update("conversation_channel_accounts").set(row: row).where("site_id", .equal, row.siteId).where("id", .equal, row.id)
            .run()
    }

    func deleteChannelAccount(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_channel_accounts").where("site_id", .equal, site).where("id", .equal, id).run()
    }

    // MARK: Fields

    /// The site's stored fields (custom ones, and system ones it has changed), in the order they were added.
    func fields(site: String) async throws -> [FieldRow] {
        try await self.sql.select().column("*").from("conversation_fields").where("site_id", .equal, site).orderBy("position").orderBy("id")
            .all(FieldRow.self)
    }

    /// The position after the site's last stored field (fields added in the same millisecond keep their order).
    func nextFieldPosition(site: String) async throws -> Int64 {
        struct MaxRow: Decodable { var position: Int64? }
        let last = try await self.sql.select().column(SQLFunction("MAX", args: SQLColumn("position")), as: "position").from("conversation_fields")
            .where("site_id", .equal, site).first(MaxRow.self)
        return (last?.position ?? 0) + 1
    }

    func field(id: String, site: String) async throws -> FieldRow? {
        try await self.sql.select().column("*").from("conversation_fields").where("site_id", .equal, site).where("id", .equal, id)
            .first(FieldRow.self)
    }

    /// The options of the site's fields, by field id, in order.
    func options(site: String, fields ids: [String]? = nil) async throws -> [String: [FieldOptionRow]] {
        let select = self.sql.select().column("*").from("conversation_field_options").where("site_id", .equal, site)
        if let ids {
            guard !ids.isEmpty else { return [:] }
            select.where("field_id", .in, ids)
        }
        let rows = try await select.orderBy("order_num").orderBy("id").all(FieldOptionRow.self)
        return Dictionary(grouping: rows, by: \.fieldId)
    }

    /// Inserts or replaces the field row (a system field's first change inserts it).
    func save(_ row: FieldRow, replacing: Bool) async throws {
        if replacing {
            try await self.sql.update("conversation_fields").set(row: row).where("site_id", .equal, row.siteId).where("id", .equal, row.id).run()
        } else {
            try await self.sql.insert(into: "conversation_fields").row(row).run()
        }
    }

    func setOptions(_ options: [FieldOptionRow], field id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_field_options").where("site_id", .equal, site).where("field_id", .equal, id).run()
        guard !options.isEmpty else { return }
        try await self.sql.insert(into: "conversation_field_options").rows(options).run()
    }

    /// Removes a custom field, its options and every conversation's value of it.
    func deleteField(id: String, site: String) async throws {
        for table in ["conversation_custom_values", "conversation_field_options"] {
            try await self.sql.delete(from: table).where("site_id", .equal, site).where("field_id", .equal, id).run()
        }
        try await self.sql.delete(from: "conversation_fields").where("site_id", .equal, site).where("id", .equal, id).run()
    }

    // MARK: Custom field values

    /// The values of the conversations `ids`, by conversation, as `(field id, value)`.
    func customValues(of ids: [Int64]) async throws -> [Int64: [CustomValueRow]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_custom_values").where("conversation_id", .in, ids)
            .orderBy("field_id").all(CustomValueRow.self)
        return Dictionary(grouping: rows, by: \.conversationId)
    }

    /// Sets (or, for nil, removes) the conversation's value of each field.
    func setCustomValues(_ values: [(field: String, value: String?)], of id: Int64, site: String) async throws {
        for (field, value) in values {
            try await self.sql.delete(from: "conversation_custom_values").where("conversation_id", .equal, id).where("field_id", .equal, field).run()
            if let value {
                try await self.sql.insert(into: "conversation_custom_values")
                    .row(CustomValueRow(conversationId: id, siteId: site, fieldId: field, value: value)).run()
            }
        }
    }

    /// Removes every custom field value of the conversation (it is deleted for good).
    func deleteCustomValues(of id: Int64, site: String) async throws {
        try await self.sql.delete(from: "conversation_custom_values").where("site_id", .equal, site).where("conversation_id", .equal, id).run()
    }

    // MARK: Blocked senders

    /// The site's blocked senders whose value contains `value` (any case), by value.
    func blockedSenders(site: String, containing value: String?) async throws -> [BlockedSenderRow] {
        let select = self.sql.select().column("*").from("conversation_blocked_senders").where("site_id", .equal, site)
        if let value { select.where(SQLLike(SQLColumn("value_key"), containing: value.lowercased())) }
        return try await select.orderBy("value_key").all(BlockedSenderRow.self)
    }

    func blockedSender(id: String, site: String) async throws -> BlockedSenderRow? {
        try await self.sql.select().column("*").from("conversation_blocked_senders").where("site_id", .equal, site).where("id", .equal, id)
            .first(BlockedSenderRow.self)
    }

    /// The site's blocked senders whose lower-cased value is one of `keys`.
    func blockedSenders(site: String, keys: [String]) async throws -> [BlockedSenderRow] {
        guard !keys.isEmpty else { return [] }
        return try await self.sql.select().column("*").from("conversation_blocked_senders").where("site_id", .equal, site)
            .where("value_key", .in, keys).all(BlockedSenderRow.self)
    }

    func save(_ row: BlockedSenderRow, replacing: Bool) async throws {
        if replacing {
            try await self.sql.update("conversation_blocked_senders").set(row: row).where("site_id", .equal, row.siteId).where("id", .equal, row.id)
                .run()
        } else {
            try await self.sql.insert(into: "conversation_blocked_senders").row(row).run()
        }
    }

    func deleteBlockedSender(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_blocked_senders").where("site_id", .equal, site).where("id", .equal, id).run()
    }

    // MARK: Junk

    func insert(_ junk: JunkRow, contents: [AnytimeContent]) async throws {
        try await self.sql.insert(into: "conversation_junks").row(junk).run()
        guard !contents.isEmpty else { return }
        try await self.sql.insert(into: "conversation_junk_contents")
            .rows(contents.enumerated().map { JunkContentRow($0.element, site: junk.siteId, junkId: junk.id, position: $0.offset) }).run()
    }

    func junk(id: String, site: String) async throws -> JunkRow? {
        try await self.sql.select().column("*").from("conversation_junks").where("site_id", .equal, site).where("id", .equal, id)
            .first(JunkRow.self)
    }

    /// The site's junk that `search` finds, a page of it, newest first.
    func junks(_ search: JunkSearch, _ page: ListQuery) async throws -> (total: Int, rows: [JunkRow]) {
        let column = { (name: String) in SQLColumn(name, table: "conversation_junks") }
        let select = self.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("conversation_junks"))).from("conversation_junks")
            .where(column("site_id"), .equal, SQLBind(search.site))
        if let from = search.from { select.where(column("time"), .greaterThanOrEqual, SQLBind(from)) }
        if let to = search.to { select.where(column("time"), .lessThanOrEqual, SQLBind(to)) }
        if let keywords = search.keywords {
            let content = { (name: String) in SQLColumn(name, table: "conversation_junk_contents") }
            select.where { group in
                group.where(SQLLike(SQLFunction("LOWER", args: column("subject")), containing: keywords)).orWhere(
                    SQLExists {
                        $0.from("conversation_junk_contents").where(content("junk_id"), .equal, column("id")).where { match in
                            match.where(SQLLike(SQLFunction("LOWER", args: content("text")), containing: keywords))
                                .orWhere(SQLLike(SQLFunction("LOWER", args: content("html_text")), containing: keywords))
                                .orWhere(SQLLike(SQLFunction("LOWER", args: content("name")), containing: keywords))
                        }
                    })
            }
        }
        return try await page.page(select, as: JunkRow.self, idColumn: column("id"))
    }

    /// The contents of the junk `ids`, by junk, in order.
    func junkContents(of ids: [String]) async throws -> [String: [AnytimeContent]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_junk_contents").where("junk_id", .in, ids).orderBy("position")
            .all(JunkContentRow.self)
        return Dictionary(grouping: rows, by: \.junkId).mapValues { $0.map(\.wire) }
    }

    func setRead(_ isRead: Bool, junk id: String, site: String) async throws {
        try await self.sql.update("conversation_junks").set("is_read", to: isRead).where("site_id", .equal, site).where("id", .equal, id).run()
    }

    func deleteJunk(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_junk_contents").where("site_id", .equal, site).where("junk_id", .equal, id).run()
        try await self.sql.delete(from: "conversation_junks").where("site_id", .equal, site).where("id", .equal, id).run()
    }
}

extension Tx {
    var settings: SettingsSQLRepository { SettingsSQLRepository(sql: self.sql) }
}

/// What a junk list keeps beyond its site (spec §5.19: no default window).
struct JunkSearch: Sendable {
    var site: String
    /// Lower-cased; matched in the subject and the contents' text, HTML and file names.
    var keywords: String?
    var from: Int64?
    var to: Int64?
}

/// A `conversation_channel_accounts` row.
struct ChannelAccountRow: Codable, Sendable {
    var id, siteId, channelId, name, nameKey: String
    var createdTime: Int64

    var wire: AnytimeChannelAccount { AnytimeChannelAccount(id: self.id, name: self.name, channelId: self.channelId) }
}

/// A `conversation_fields` row: a custom field, or a system field's changes (its help text and mapping).
struct FieldRow: Codable, Sendable {
    var id, siteId, type, name, nameKey: String
    var isSystemField, isRequired: Bool
    var defaultValue, helpText: String?
    var maxLength: Int?
    var chatFieldMapping, offlineMessageFieldMapping: String?
    var createdTime, position: Int64
}

/// A `conversation_field_options` row.
struct FieldOptionRow: Codable, Sendable, Equatable {
    var id, siteId, fieldId, name, value: String
    var orderNum: Int

    var wire: AnytimeFieldOption { AnytimeFieldOption(id: self.id, name: self.name, value: self.value, orderNum: self.orderNum) }
}

/// A `conversation_custom_values` row.
struct CustomValueRow: Codable, Sendable {
    var conversationId: Int64
    var siteId, fieldId, value: String
}

/// A `conversation_blocked_senders` row.
struct BlockedSenderRow: Codable, Sendable {
    var id, siteId, value, valueKey, blockType: String
    var createdTime: Int64

    var type: AnytimeBlockType { AnytimeBlockType(rawValue: self.blockType) ?? .blockEmailasJunk }
    var wire: AnytimeBlockedSender { AnytimeBlockedSender(id: self.id, value: self.value, blockType: self.type) }
}

/// A `conversation_junks` row; `senderAddress` is the address the blocked-sender check matched.
struct JunkRow: Codable, Sendable {
    var id, siteId: String
    var channelAccount, contactIdentityId: String?
    var senderAddress, source: String
    var originalMessageId, originalMessageUrl, parentId, subject, cc: String?
    var isRead: Bool
    var senderId: String?
    var senderType: String
    var time: Int64

    func wire(contents: [AnytimeContent]) -> AnytimeJunk {
        AnytimeJunk(
            id: self.id, channelAccount: self.channelAccount, contactIdentityId: self.contactIdentityId, source: self.source,
            originalMessageId: self.originalMessageId, originalMessageUrl: self.originalMessageUrl, parentId: self.parentId, contents: contents,
            subject: self.subject, cc: self.cc, isRead: self.isRead, senderId: self.senderId,
            senderType: AnytimeActorType(rawValue: self.senderType) ?? .contact, time: AnytimeTime.format(self.time))
    }
}

/// A `conversation_junk_contents` row.
struct JunkContentRow: Codable, Sendable {
    var id, siteId, junkId: String
    var position: Int
    var type: String
    var text, htmlText, name, url, title, latitude, longitude, scale, descText: String?

    init(_ content: AnytimeContent, site: String, junkId: String, position: Int) {
        self.id = content.id
        self.siteId = site
        self.junkId = junkId
        self.position = position
        self.type = content.type.rawValue
        self.text = content.text
        self.htmlText = content.htmlText
        self.name = content.name
        self.url = content.url
        self.title = content.title
        self.latitude = content.latitude
        self.longitude = content.longitude
        self.scale = content.scale
        self.descText = content.desc
    }

    var wire: AnytimeContent {
        AnytimeContent(
            id: self.id, type: AnytimeContentType(rawValue: self.type) ?? .text, text: self.text, htmlText: self.htmlText, name: self.name,
            url: self.url, title: self.title, latitude: self.latitude, longitude: self.longitude, scale: self.scale, desc: self.descText)
    }
}
