import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Messages of conversations on SQLite or PostgreSQL, with their files kept in the database; and the rendering of
/// conversations and messages as Chatwoot's views show them.
struct MessageSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    /// The signed links files are rendered with.
    let links: ChatwootAttachmentLinks

    static let incoming = 0
    static let outgoing = 1
    static let activity = 2
    static let template = 3
    /// Chatwoot's `message_type` names, as a create takes them.
    static let types = ["incoming": 0, "outgoing": 1, "activity": 2, "template": 3]
    /// Chatwoot's `content_type` enum.
    static let contentTypes = [
        "text", "input_text", "input_textarea", "input_email", "input_select", "cards", "form", "article", "incoming_email", "input_csat",
        "integrations", "sticker", "voice_call",
    ]
    static let pageSize = 20

    /// A message row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var inboxId: Int
        var conversationId: Int
        var messageType: Int
        var content: String?
        var contentType: String
        var contentAttributes: String
        var additionalAttributes: String
        var `private`: Bool
        var status: String
        var sourceId: String?
        var senderType: String?
        var senderId: Int?
        var createdAt: Int64
        var updatedAt: Int64
    }

    static let columns = [
        "id", "account_id", "inbox_id", "conversation_id", "message_type", "content", "content_type", "content_attributes",
        "additional_attributes", "private", "status", "source_id", "sender_type", "sender_id", "created_at", "updated_at",
    ]

    /// A file to attach.
    struct Upload: Sendable {
        var fileName: String
        var contentType: String
        var data: [UInt8]

        /// Chatwoot's `file_type` from the content type.
        var fileType: String {
            let type = self.contentType.lowercased()
            if type.hasPrefix("image/") { return "image" }
            if type.hasPrefix("audio/") { return "audio" }
            if type.hasPrefix("video/") { return "video" }
            return "file"
        }
    }

    /// What a create sets.
    struct Creation: Sendable {
        var content: String?
        var messageType: Int
        var `private`: Bool
        var contentType: String
        var contentAttributes: JSONValue
        var additionalAttributes: JSONValue
        var sourceID: String?
        var uploads: [Upload]
    }

    // MARK: Writing

    /// Creates a message in `conversation` (in the caller's transaction) and moves the conversation on as Chatwoot's
    /// message callbacks do: last activity, first reply, waiting since; an incoming message reopens a resolved or
    /// snoozed conversation.
    func insert(
        _ tx: Tx, conversation: ConversationSQLRepository.Row, _ creation: Creation, actor: ConversationSQLRepository.Actor
    )
        async throws -> Int
    {
        let now = self.clock.milliseconds()
        let sender: (type: String?, id: Int?)
        if creation.messageType == Self.incoming {
            sender = ("Contact", conversation.contactId)
        } else {
            switch actor {
            case .user(let id, _): sender = ("User", id)
            case .agentBot(let id): sender = ("AgentBot", id)
            case .system: sender = (nil, nil)
            }
        }
        let row = try await tx.sql.insert(into: "messages")
            .columns(
                "account_id", "inbox_id", "conversation_id", "message_type", "content", "content_type", "content_attributes",
                "additional_attributes", "private", "status", "source_id", "sender_type", "sender_id", "created_at", "updated_at"
            )
            .values(
                conversation.accountId, conversation.inboxId, conversation.id, creation.messageType, creation.content, creation.contentType,
                try ChatwootRows.text(creation.contentAttributes), try ChatwootRows.text(creation.additionalAttributes), creation.private, "sent",
                creation.sourceID, sender.type, sender.id, now, now
            ).returning("id").first(IDRow.self)
        let id = Int(row?.id ?? 0)
        for upload in creation.uploads {
            try await tx.sql.insert(into: "message_attachments")
                .columns("account_id", "message_id", "file_type", "file_name", "content_type", "byte_size", "data", "created_at")
                .values(conversation.accountId, id, upload.fileType, upload.fileName, upload.contentType, upload.data.count, Data(upload.data), now)
                .run()
        }
        // The conversation moves on (activity messages do not change its activity time).
        guard creation.messageType != Self.activity else { return id }
        let update = tx.sql.update("conversations").set("last_activity_at", to: now).set("updated_at", to: now)
        if creation.messageType == Self.incoming {
            if conversation.waitingSince == nil { update.set("waiting_since", to: now) }
            if !conversation.muted, conversation.status == "resolved" || conversation.status == "snoozed" {
                update.set("status", to: "open").set("snoozed_until", to: SQLLiteral.null).set("snooze_job_id", to: SQLLiteral.null)
                if let job = conversation.snoozeJobId { try await tx.scheduler.cancel(id: job) }
            }
        } else if creation.messageType == Self.outgoing, !creation.private, sender.type == "User" {
            if let user = sender.id, ChatwootReporting.isHumanResponse(creation) {
                try await ChatwootReporting.replied(tx, conversation: conversation, user: user, at: now)
            }
            if conversation.firstReplyCreatedAt == nil { update.set("first_reply_created_at", to: now) }
            update.set("waiting_since", to: SQLLiteral.null)
        }
        try await update.where("id", .equal, conversation.id).run()
        return id
    }

    /// An activity message (`message_type` 2) of Chatwoot's callbacks.
    static func insertActivity(_ tx: Tx, conversation: ConversationSQLRepository.Row, content: String, at now: Int64) async throws {
        let inserted = try await tx.sql.insert(into: "messages")
            .columns("account_id", "inbox_id", "conversation_id", "message_type", "content", "created_at", "updated_at")
            .values(conversation.accountId, conversation.inboxId, conversation.id, Self.activity, content, now, now).returning("id")
            .first(InsertedRow.self)
        // Chatwoot's dashboard hears activity messages (message.created on /cable); no webhook sends them.
        guard let id = inserted?.id,
            let row = try await tx.sql.select().columns(Self.columns).from("messages").where("id", .equal, id).first(Row.self)
        else { return }
        let message = try await Self.rendered(tx.sql, [row], displayIDs: [conversation.id: conversation.displayId]).first
        try await ChatwootEvents.announce(.messageCreated, payload: message, account: conversation.accountId, inbox: conversation.inboxId, tx: tx)
    }

    private struct InsertedRow: Codable {
        var id: Int
    }

    /// Creates a message outside any other change; `echoID` (the client's temporary id) rides on `message_created`.
    func create(
        conversation: ConversationSQLRepository.Row, _ creation: Creation, actor: ConversationSQLRepository.Actor, echoID: String? = nil
    ) async throws -> Row {
        let id = try await self.database.transaction { tx in
            let id = try await self.insert(tx, conversation: conversation, creation, actor: actor)
            try await self.publish(.messageCreated, tx, id: id, conversation: conversation, echoID: echoID)
            return id
        }
        return try await self.row(id, conversation: conversation.id)
    }

    /// `message_created` / `message_updated` with the message as Chatwoot renders it, for the messages Chatwoot's
    /// webhooks send (not activities).
    func publish(_ event: ChatwootEvent, _ tx: Tx, id: Int, conversation: ConversationSQLRepository.Row, echoID: String? = nil) async throws {
        let row = try await self.row(id, conversation: conversation.id)
        let name = Self.types.first { $0.value == row.messageType }?.key ?? "outgoing"
        guard ChatwootEventPayloads.isWebhookSendable(messageType: name) else { return }
        let message = try await self.render(tx.sql, [row], displayIDs: [conversation.id: conversation.displayId], echoID: echoID).first
        try await ChatwootEvents.publish(event, payload: message, account: conversation.accountId, inbox: conversation.inboxId, tx: tx)
    }

    /// Chatwoot's delete: the content becomes "This message was deleted", `content_attributes.deleted` is set and
    /// the files go.
    func delete(_ message: Row) async throws -> Row {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("messages").set("content", to: "This message was deleted").set("content_type", to: "text")
                .set("content_attributes", to: #"{"deleted":true}"#).set("updated_at", to: now).where("id", .equal, message.id).run()
            try await tx.sql.delete(from: "message_attachments").where("message_id", .equal, message.id).run()
            let conversation = try await tx.sql.select().columns(ConversationSQLRepository.columns).from("conversations")
                .where("id", .equal, message.conversationId).first(ConversationSQLRepository.Row.self)
            if let conversation { try await self.publish(.messageUpdated, tx, id: message.id, conversation: conversation) }
        }
        return try await self.row(message.id, conversation: message.conversationId)
    }

    // MARK: Reading

    /// A message of the conversation; any other is a 404.
    func row(_ id: Int, conversation: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("messages").where("id", .equal, id).where("conversation_id", .equal, conversation)
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// Chatwoot's `MessageFinder`: the latest 20, or 20 before a message id, or up to 100 after one; oldest first.
    func list(conversation: Int, before: Int?, after: Int?) async throws -> [Row] {
        try await self.database.readStatement { sql in
            let query = sql.select().columns(Self.columns).from("messages").where("conversation_id", .equal, conversation)
            switch (after, before) {
            case (let after?, let before?):
                return try await query.where("id", .greaterThanOrEqual, after).where("id", .lessThan, before).orderBy("id").limit(1000)
                    .all(Row.self)
            case (let after?, nil):
                return try await query.where("id", .greaterThan, after).orderBy("id").limit(100).all(Row.self)
            case (nil, let before?):
                return try await query.where("id", .lessThan, before).orderBy("id", .descending).limit(Self.pageSize).all(Row.self).reversed().map {
                    $0
                }
            case (nil, nil):
                return try await query.orderBy("id", .descending).limit(Self.pageSize).all(Row.self).reversed().map { $0 }
            }
        }
    }

    /// A stored file of the account (any account when nil: a signed link names the file), with its bytes.
    func attachment(account: Int?, id: Int) async throws -> AttachmentFile {
        let row = try await self.database.readStatement { sql in
            let query = sql.select().columns("file_name", "content_type", "data").from("message_attachments").where("id", .equal, id)
            if let account { query.where("account_id", .equal, account) }
            return try await query.first(AttachmentFile.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// A stored file.
    struct AttachmentFile: Codable, Sendable {
        var fileName: String
        var contentType: String
        var data: Data
    }

    // MARK: Rendering

    /// Messages as Chatwoot renders them, with their senders and files; `displayIDs` maps conversation ids to
    /// display ids.
    func render(_ sql: any SQLDatabase, _ rows: [Row], displayIDs: [Int: Int], echoID: String? = nil) async throws -> [ChatwootMessage] {
        try await Self.rendered(sql, rows, displayIDs: displayIDs, echoID: echoID, links: self.links)
    }

    /// ``render(_:_:displayIDs:echoID:)`` where no repository is at hand (activity messages, which have no files;
    /// without `links` a file's link is the dashboard's token-checked one).
    static func rendered(
        _ sql: any SQLDatabase, _ rows: [Row], displayIDs: [Int: Int], echoID: String? = nil, links: ChatwootAttachmentLinks? = nil
    ) async throws -> [ChatwootMessage] {
        guard !rows.isEmpty else { return [] }
        let files = try await sql.select().columns("id", "account_id", "message_id", "file_type", "file_name", "byte_size")
            .from("message_attachments").where("message_id", .in, rows.map(\.id)).orderBy("id").all(AttachmentRow.self)
        let byMessage = Dictionary(grouping: files, by: \.messageId)
        let senders = try await Self.senders(
            sql, users: rows.filter { $0.senderType == "User" }.compactMap(\.senderId),
            contacts: rows.filter { $0.senderType == "Contact" }.compactMap(\.senderId),
            bots: rows.filter { $0.senderType == "AgentBot" }.compactMap(\.senderId))
        return try rows.map { row in
            let attachments = try byMessage[row.id]?.map { file in
                // Signed links open without a token, as Chatwoot's ActiveStorage URLs (decision 367); images' thumbnails are
                // the image itself.
                let url = try links?.url(file.id) ?? "/api/v1/accounts/\(file.accountId)/attachments/\(file.id)"
                var attachment = ChatwootAttachment(
                    id: file.id, messageId: file.messageId, fileType: file.fileType, accountId: file.accountId,
                    extension: file.fileName.contains(".") ? file.fileName.split(separator: ".").last.map(String.init) : nil,
                    dataUrl: url, fileSize: Int(file.byteSize), fileName: file.fileName)
                if file.fileType == "image" { attachment.thumbUrl = url }
                return attachment
            }
            var message = ChatwootMessage(
                id: row.id, content: row.content, accountId: row.accountId, inboxId: row.inboxId,
                conversationId: displayIDs[row.conversationId] ?? row.conversationId, messageType: row.messageType,
                createdAt: row.createdAt / 1000, updatedAt: row.updatedAt / 1000, private: row.private, status: row.status, sourceId: row.sourceId,
                contentType: row.contentType, contentAttributes: ChatwootRows.json(row.contentAttributes), senderId: row.senderId,
                additionalAttributes: ChatwootRows.json(row.additionalAttributes), attachments: attachments,
                sender: row.senderType.flatMap { type in row.senderId.flatMap { senders[SenderKey(type: type, id: $0)] } })
            message.echoId = echoID
            return message
        }
    }

    private struct AttachmentRow: Codable {
        var id: Int
        var accountId: Int
        var messageId: Int
        var fileType: String
        var fileName: String
        var byteSize: Int64
    }

    struct SenderKey: Hashable {
        var type: String
        var id: Int
    }

    /// The `push_event_data` of users, contacts and agent bots.
    static func senders(_ sql: any SQLDatabase, users: [Int], contacts: [Int], bots: [Int]) async throws -> [SenderKey: ChatwootMessageSender] {
        var senders: [SenderKey: ChatwootMessageSender] = [:]
        if !users.isEmpty {
            for user in try await sql.select().columns("id", "name", "display_name").from("users").where("id", .in, Array(Set(users)))
                .all(UserSenderRow.self)
            {
                senders[SenderKey(type: "User", id: user.id)] = ChatwootMessageSender(
                    id: user.id, name: user.name, type: "user", availableName: user.displayName ?? user.name)
            }
        }
        if !contacts.isEmpty {
            for contact in try await self.contacts(sql, contacts) { senders[SenderKey(type: "Contact", id: contact.id)] = contact }
        }
        if !bots.isEmpty {
            for bot in try await sql.select().columns("id", "name").from("agent_bots").where("id", .in, Array(Set(bots))).all(BotSenderRow.self) {
                senders[SenderKey(type: "AgentBot", id: bot.id)] = ChatwootMessageSender(id: bot.id, name: bot.name, type: "agent_bot")
            }
        }
        return senders
    }

    /// Contacts as a conversation's `meta.sender` shows them.
    static func contacts(_ sql: any SQLDatabase, _ ids: [Int]) async throws -> [ChatwootMessageSender] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select()
            .columns("id", "name", "email", "phone_number", "identifier", "additional_attributes", "custom_attributes", "created_at")
            .from("contacts").where("id", .in, Array(Set(ids))).all(ContactRow.self)
            .map { row in
                ChatwootMessageSender(
                    id: row.id, name: row.name ?? "", type: "contact", email: row.email, phoneNumber: row.phoneNumber, identifier: row.identifier,
                    additionalAttributes: ChatwootRows.json(row.additionalAttributes), customAttributes: ChatwootRows.json(row.customAttributes),
                    createdAt: row.createdAt / 1000)
            }
    }

    private struct UserSenderRow: Codable {
        var id: Int
        var name: String
        var displayName: String?
    }

    private struct BotSenderRow: Codable {
        var id: Int
        var name: String
    }

    private struct ContactRow: Codable {
        var id: Int
        var name: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var additionalAttributes: String
        var customAttributes: String
        var createdAt: Int64
    }
}
