import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// What a conversation list keeps beyond its site: every filter runs in SQL (spec §5.11).
struct ConversationSearch: Sendable {
    var site: String
    /// The trash (`deletedConversations`) or the conversations in use.
    var deleted: Bool
    /// Lower-cased; matched in the subject and in the messages' text, HTML and file names (spec §6 C10).
    var keywords: String?
    /// Epoch milliseconds, inclusive, on the last reply time (spec §3.1 #1).
    var from: Int64
    var to: Int64
    var tagId: String?
}

/// Conversations, their tags, messages, mentions and event logs.
struct ConversationSQLRepository {
    let sql: any SQLDatabase

    // MARK: Conversations

    /// Inserts the conversation and answers its new id.
    func insert(_ row: ConversationRow) async throws -> Int64 {
        guard let made = try await self.sql.insert(into: "conversations").row(row, excluding: ["id"]).returning("id").first(IDRow.self) else {
            throw ServiceError(.internalServerError, message: "The conversation was not stored.")
        }
        return made.id
    }

    /// The site's conversation `id`, in use or in the trash as `deleted` says; nil when there is none.
    func conversation(id: Int64, site: String, deleted: Bool) async throws -> ConversationRow? {
        try await self.sql.select().column("*").from("conversations").where("id", .equal, id).where("site_id", .equal, site)
            .where("is_deleted", .equal, deleted).first(ConversationRow.self)
    }

    func update(_ row: ConversationRow) async throws {
        try await self.sql.update("conversations").set(row: row).where("id", .equal, row.id).where("site_id", .equal, row.siteId).run()
    }

    /// The site's conversations among `ids` that are in use (or in the trash), by id.
    func existing(ids: [Int64], site: String, deleted: Bool) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await self.sql.select().column("id").from("conversations").where("site_id", .equal, site).where("id", .in, ids)
            .where("is_deleted", .equal, deleted).all(IDRow.self)
        return Set(rows.map(\.id))
    }

    /// Moves the conversations among `ids` to or from the trash.
    func setDeleted(_ deleted: Bool, ids: [Int64], site: String, now: Int64) async throws {
        guard !ids.isEmpty else { return }
        try await self.sql.update("conversations").set("is_deleted", to: deleted).where("site_id", .equal, site).where("id", .in, ids).run()
    }

    /// Removes a conversation and everything it holds for good.
    func purge(id: Int64, site: String) async throws {
        for table in [
            "conversation_message_contents", "conversation_messages", "conversation_mentions", "conversation_tags", "conversation_event_logs",
            "conversation_drafts", "conversation_active_agents",
        ] {
            try await self.sql.delete(from: table).where("conversation_id", .equal, id).where("site_id", .equal, site).run()
        }
        try await self.sql.delete(from: "conversations").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// The site's conversations that `search` finds.
    func select(_ search: ConversationSearch) -> SQLSelectBuilder {
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let select = self.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("conversations"))).from("conversations")
            .where(column("site_id"), .equal, SQLBind(search.site)).where(column("is_deleted"), .equal, SQLBind(search.deleted))
            .where(column("last_replied_time"), .greaterThanOrEqual, SQLBind(search.from))
            .where(column("last_replied_time"), .lessThanOrEqual, SQLBind(search.to))
        if let keywords = search.keywords {
            let content = { (name: String) in SQLColumn(name, table: "conversation_message_contents") }
            select.where { group in
                group.where(SQLLike(SQLFunction("LOWER", args: column("subject")), containing: keywords)).orWhere(
                    SQLExists {
                        $0.from("conversation_message_contents").where(content("conversation_id"), .equal, column("id")).where { match in
                            match.where(SQLLike(SQLFunction("LOWER", args: content("text")), containing: keywords))
                                .orWhere(SQLLike(SQLFunction("LOWER", args: content("html_text")), containing: keywords))
                                .orWhere(SQLLike(SQLFunction("LOWER", args: content("name")), containing: keywords))
                        }
                    })
            }
        }
        if let tagId = search.tagId {
            let tag = { (name: String) in SQLColumn(name, table: "conversation_tags") }
            select.where(
                SQLExists {
                    $0.from("conversation_tags").where(tag("conversation_id"), .equal, column("id")).where(tag("tag_id"), .equal, SQLBind(tagId))
                })
        }
        return select
    }

    func page(_ search: ConversationSearch, _ page: ListQuery) async throws -> (total: Int, rows: [ConversationRow]) {
        // Narrowed by nothing but the window, the total comes from the day counts (decision 290).
        let total = search.keywords == nil && search.tagId == nil && page.predicates.isEmpty ? try await self.count(search) : nil
        return try await page.page(self.select(search), as: ConversationRow.self, idColumn: SQLColumn("id", table: "conversations"), total: total)
    }

    /// How many of the site's conversations (in use or in the trash) had their last reply in the window, from
    /// `conversation_day_counts` (kept by triggers, a row per site, trash flag and UTC day) for the whole days inside it
    /// and from `conversations` for the part days at its ends: the cost follows the window's days, not how many
    /// conversations it holds (decision 290).
    func count(_ search: ConversationSearch) async throws -> Int {
        let day = ConversationMigrations.dayMilliseconds
        // The window is inclusive at both ends: [from, to + 1) in whole milliseconds.
        let (from, end) = (search.from, search.to + 1)
        func counted(from: Int64, to: Int64) async throws -> Int {
            guard from < to else { return 0 }
            return Int(
                try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversations")
                    .where("site_id", .equal, search.site).where("is_deleted", .equal, search.deleted)
                    .where("last_replied_time", .greaterThanOrEqual, from).where("last_replied_time", .lessThan, to).first(CountRow.self)?.count ?? 0
            )
        }
        let firstWholeDay = (from + day - 1) / day
        let endWholeDays = end / day
        guard from >= 0, firstWholeDay < endWholeDays else { return try await counted(from: from, to: end) }
        let sum = SQLCast(
            SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("conversation_count")), SQLLiteral.numeric("0")), as: "BIGINT")
        let whole =
            try await self.sql.select().column(sum, as: "count").from("conversation_day_counts").where("site_id", .equal, search.site)
            .where("is_deleted", .equal, search.deleted).where("day", .greaterThanOrEqual, firstWholeDay).where("day", .lessThan, endWholeDays)
            .first(CountRow.self)?.count ?? 0
        return Int(whole) + (try await counted(from: from, to: firstWholeDay * day)) + (try await counted(from: endWholeDays * day, to: end))
    }

    // MARK: Tags

    func tags(of ids: [Int64]) async throws -> [Int64: [String]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_tags").where("conversation_id", .in, ids).orderBy("position")
            .all(TagRow.self)
        return Dictionary(grouping: rows, by: \.conversationId).mapValues { $0.map(\.tagId) }
    }

    func setTags(_ tags: [String], of id: Int64, site: String) async throws {
        try await self.sql.delete(from: "conversation_tags").where("conversation_id", .equal, id).run()
        guard !tags.isEmpty else { return }
        try await self.sql.insert(into: "conversation_tags")
            .rows(tags.enumerated().map { TagRow(conversationId: id, siteId: site, tagId: $0.element, position: $0.offset) }).run()
    }

    // MARK: Mentions

    func mentions(of ids: [Int64]) async throws -> [Int64: [AnytimeMentionedAgent]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_mentions").where("conversation_id", .in, ids)
            .orderBy("message_id").orderBy("agent_id").all(MentionRow.self)
        return Dictionary(grouping: rows, by: \.conversationId).mapValues {
            $0.map { AnytimeMentionedAgent(agentId: $0.agentId, isRead: $0.isRead, messageId: $0.messageId) }
        }
    }

    func mention(_ agents: [String], in id: Int64, message: String, site: String) async throws {
        guard !agents.isEmpty else { return }
        try await self.sql.insert(into: "conversation_mentions")
            .rows(agents.map { MentionRow(conversationId: id, siteId: site, agentId: $0, messageId: message, isRead: false) }).run()
    }

    /// Marks `agent`'s mentions in the conversation read (all of them, or those of one message).
    func readMentions(of agent: String, in id: Int64, message: String? = nil) async throws {
        let update = self.sql.update("conversation_mentions").set("is_read", to: true).where("conversation_id", .equal, id)
            .where("agent_id", .equal, agent)
        if let message { update.where("message_id", .equal, message) }
        try await update.run()
    }

    // MARK: Messages

    /// Adds a message (after the conversation's others) with its contents.
    func insert(_ message: AnytimeMessage, site: String, deliveryStatus: String? = nil, failReason: String? = nil) async throws {
        let count =
            try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversation_messages")
            .where("conversation_id", .equal, message.conversationId).first(CountRow.self)?.count ?? 0
        try await self.sql.insert(into: "conversation_messages")
            .row(MessageRow(message, site: site, position: Int(count), deliveryStatus: deliveryStatus, failReason: failReason)).run()
        if !message.contents.isEmpty {
            try await self.sql.insert(into: "conversation_message_contents")
                .rows(
                    message.contents.enumerated().map {
                        ContentRow($0.element, site: site, conversationId: Int64(message.conversationId), messageId: message.id, position: $0.offset)
                    }
                ).run()
        }
    }

    /// The conversation's messages, oldest first, with their contents and mentions.
    func messages(of id: Int64, messageId: String? = nil) async throws -> [AnytimeMessage] {
        let select = self.sql.select().column("*").from("conversation_messages").where("conversation_id", .equal, id)
        if let messageId { select.where("id", .equal, messageId) }
        let rows = try await select.orderBy("time").orderBy("position").all(MessageRow.self)
        guard !rows.isEmpty else { return [] }
        let contents = try await self.sql.select().column("*").from("conversation_message_contents").where("conversation_id", .equal, id)
            .orderBy("position").all(ContentRow.self)
        let mentions = try await self.sql.select().column("*").from("conversation_mentions").where("conversation_id", .equal, id)
            .orderBy("agent_id").all(MentionRow.self)
        let contentsByMessage = Dictionary(grouping: contents, by: \.messageId)
        let mentionsByMessage = Dictionary(grouping: mentions, by: \.messageId)
        return rows.map { $0.wire(contents: (contentsByMessage[$0.id] ?? []).map(\.wire), mentions: (mentionsByMessage[$0.id] ?? []).map(\.agentId)) }
    }

    /// Whether the conversation has a message `id`.
    func hasMessage(_ messageId: String, in id: Int64) async throws -> Bool {
        try await self.sql.select().column("id").from("conversation_messages").where("conversation_id", .equal, id).where("id", .equal, messageId)
            .first(IDText.self) != nil
    }

    /// The message attached earlier with this original id, if any (attach is idempotent, outreach spec §5.13).
    func message(originalId: String, in id: Int64) async throws -> String? {
        try await self.sql.select().column("id").from("conversation_messages").where("conversation_id", .equal, id)
            .where("original_message_id", .equal, originalId).first(IDText.self)?.id
    }

    /// The channel account of the conversation's latest received message (the reply rule of spec §5.9).
    func latestInboundAccount(of id: Int64) async throws -> String? {
        try await self.sql.select().column("channel_account_id").from("conversation_messages").where("conversation_id", .equal, id)
            .where("direct_type", .equal, AnytimeDirectType.receive.rawValue).orderBy("time", .descending).orderBy("position", .descending)
            .limit(1).first(AccountRow.self)?.channelAccountId
    }

    /// The message row `messageId` of the conversation.
    func messageRow(_ messageId: String, in id: Int64) async throws -> MessageRow? {
        try await self.sql.select().column("*").from("conversation_messages").where("conversation_id", .equal, id).where("id", .equal, messageId)
            .first(MessageRow.self)
    }

    func update(_ message: MessageRow) async throws {
        try await self.sql.update("conversation_messages").set(row: message).where("id", .equal, message.id).run()
    }

    /// The ids of the message's contents.
    func contentIds(of messageId: String) async throws -> Set<String> {
        Set(
            try await self.sql.select().column("id").from("conversation_message_contents").where("message_id", .equal, messageId).all(IDText.self)
                .map(\.id))
    }

    func setContentUrl(_ url: String, content id: String, message messageId: String) async throws {
        try await self.sql.update("conversation_message_contents").set("url", to: url).where("id", .equal, id).where("message_id", .equal, messageId)
            .run()
    }

    /// How many of the conversation's messages are unread.
    func unreadMessages(of id: Int64) async throws -> Int {
        Int(
            try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversation_messages")
                .where("conversation_id", .equal, id).where("is_read", .equal, false).first(CountRow.self)?.count ?? 0)
    }

    /// Marks every message of the conversation read.
    func readMessages(of id: Int64) async throws {
        try await self.sql.update("conversation_messages").set("is_read", to: true).where("conversation_id", .equal, id).run()
    }

    // MARK: Event logs

    func log(_ kind: String, _ text: String, conversation id: Int64, site: String, time: Int64) async throws {
        try await self.sql.insert(into: "conversation_event_logs")
            .row(
                EventLogRow(id: 0, guid: UUID().uuidString.lowercased(), siteId: site, conversationId: id, kind: kind, text: text, time: time),
                excluding: ["id"]
            ).run()
    }

    func eventLogs(of id: Int64) async throws -> [AnytimeEventLog] {
        try await self.sql.select().column("*").from("conversation_event_logs").where("conversation_id", .equal, id).orderBy("id")
            .all(EventLogRow.self).map {
                AnytimeEventLog(id: $0.guid, conversationId: Int($0.conversationId), text: $0.text, time: AnytimeTime.format($0.time))
            }
    }
}

extension Tx {
    var conversations: ConversationSQLRepository { ConversationSQLRepository(sql: self.sql) }
}

/// A `conversations` row.
struct ConversationRow: Codable, Sendable {
    var id: Int64
    var guid, siteId, subject, status: String
    var statusRank: Int
    var priority: String
    var priorityRank: Int
    var assignedAgentId, assignedDepartmentId, relatedType, relatedId, originalId: String?
    var channelId: String
    var isRead, isReadByContact, isDeleted: Bool
    var createdById: String?
    var createdByType: String
    var createdTime, lastActivityTime, lastStatusChangeTime, lastRepliedTime: Int64
    var lastRepliedById, lastRepliedByType, slaPolicyId: String?
    var firstRespondBreachAt, nextRespondBreachAt, resolveBreachAt, nextSlaBreach: Int64?

    var statusValue: AnytimeStatus { AnytimeStatus(rawValue: self.status) ?? .new }
    var priorityValue: AnytimePriority { AnytimePriority(rawValue: self.priority) ?? .normal }

    mutating func set(status: AnytimeStatus) {
        self.status = status.rawValue
        self.statusRank = status.rank
    }

    mutating func set(priority: AnytimePriority) {
        self.priority = priority.rawValue
        self.priorityRank = priority.rank
    }

    func wire(tags: [String], mentions: [AnytimeMentionedAgent]) -> AnytimeConversation {
        AnytimeConversation(
            id: Int(self.id), guid: self.guid, relatedType: self.relatedType.flatMap(AnytimeRelatedType.init(rawValue:)), relatedId: self.relatedId,
            subject: self.subject, assignedAgentId: self.assignedAgentId, assignedDepartmentId: self.assignedDepartmentId,
            originalId: self.originalId, priority: self.priorityValue, status: self.statusValue, hasDraft: false, isDeleted: self.isDeleted,
            isRead: self.isRead, isReadByContact: self.isReadByContact, isEditable: !self.isDeleted, isActive: false, tagIds: tags,
            mentionedAgents: mentions, customFields: [], createdById: self.createdById,
            createdByType: AnytimeActorType(rawValue: self.createdByType) ?? .system, createdTime: AnytimeTime.format(self.createdTime),
            lastActivityTime: AnytimeTime.format(self.lastActivityTime), lastStatusChangeTime: AnytimeTime.format(self.lastStatusChangeTime),
            lastRepliedTime: AnytimeTime.format(self.lastRepliedTime), lastRepliedById: self.lastRepliedById,
            lastRepliedByType: self.lastRepliedByType.flatMap(AnytimeActorType.init(rawValue:)), slaPolicyId: self.slaPolicyId,
            firstRespondBreachAt: AnytimeTime.format(self.firstRespondBreachAt), nextRespondBreachAt: AnytimeTime.format(self.nextRespondBreachAt),
            resolveBreachAt: AnytimeTime.format(self.resolveBreachAt))
    }
}

/// A `conversation_tags` row.
struct TagRow: Codable, Sendable {
    var conversationId: Int64
    var siteId, tagId: String
    var position: Int
}

/// A `conversation_mentions` row.
struct MentionRow: Codable, Sendable {
    var conversationId: Int64
    var siteId, agentId, messageId: String
    var isRead: Bool
}

/// A `conversation_messages` row.
struct MessageRow: Codable, Sendable {
    var id, siteId: String
    var conversationId: Int64
    var position: Int
    var channelId, type, directType: String
    var channelAccountId, contactIdentityId, originalMessageId, originalMessageUrl, parentId, subject, cc: String?
    var isRead: Bool
    var sendStatus: String
    var deliveryStatus, failReason, senderId: String?
    var senderType: String
    var time: Int64

    init(_ message: AnytimeMessage, site: String, position: Int, deliveryStatus: String?, failReason: String?) {
        self.id = message.id
        self.siteId = site
        self.conversationId = Int64(message.conversationId)
        self.position = position
        self.channelId = message.channelId
        self.type = message.type.rawValue
        self.directType = message.directType.rawValue
        self.channelAccountId = message.channelAccountId
        self.contactIdentityId = message.contactIdentityId
        self.originalMessageId = message.originalMessageId
        self.originalMessageUrl = message.originalMessageUrl
        self.parentId = message.parentId
        self.subject = message.subject
        self.cc = message.cc
        self.isRead = message.isRead
        self.sendStatus = message.sendStatus.rawValue
        self.deliveryStatus = deliveryStatus
        self.failReason = failReason
        self.senderId = message.senderId
        self.senderType = message.senderType.rawValue
        self.time = AnytimeTime.parse(message.time) ?? 0
    }

    func wire(contents: [AnytimeContent], mentions: [String]) -> AnytimeMessage {
        AnytimeMessage(
            id: self.id, conversationId: Int(self.conversationId), channelId: self.channelId,
            type: AnytimeMessageType(rawValue: self.type) ?? .message,
            directType: AnytimeDirectType(rawValue: self.directType) ?? .send, channelAccountId: self.channelAccountId,
            contactIdentityId: self.contactIdentityId, originalMessageId: self.originalMessageId, originalMessageUrl: self.originalMessageUrl,
            parentId: self.parentId, subject: self.subject, cc: self.cc, contents: contents, mentionedAgentIds: mentions, isRead: self.isRead,
            sendStatus: AnytimeSendStatus(rawValue: self.sendStatus) ?? .success, senderId: self.senderId,
            senderType: AnytimeActorType(rawValue: self.senderType) ?? .system, time: AnytimeTime.format(self.time))
    }
}

/// A `conversation_message_contents` row.
struct ContentRow: Codable, Sendable {
    var id, siteId: String
    var conversationId: Int64
    var messageId: String
    var position: Int
    var type: String
    var text, htmlText, name, url, title, latitude, longitude, scale, descText: String?

    init(_ content: AnytimeContent, site: String, conversationId: Int64, messageId: String, position: Int) {
        self.id = content.id
        self.siteId = site
        self.conversationId = conversationId
        self.messageId = messageId
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

/// A `conversation_event_logs` row; `guid` is the id the API shows.
struct EventLogRow: Codable, Sendable {
    var id: Int64
    var guid, siteId: String
    var conversationId: Int64
    var kind, text: String
    var time: Int64
}

/// A row that is one text `id` column.
struct IDText: Codable, Sendable {
    var id: String
}

/// A row that is one `channel_account_id` column.
struct AccountRow: Codable, Sendable {
    var channelAccountId: String?
}
