import Crypto
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The Client API's storage (Chatwoot's `Public::Api::V1::Inboxes*`): the API inbox found by its identifier, the
/// contact inbox by its source id, the contact's conversations and their chat messages; conversations and messages
/// are made and changed through ``ConversationSQLRepository`` and ``MessageSQLRepository``.
struct ClientAPISQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let inboxes: InboxSQLRepository
    let contacts: ContactSQLRepository
    let conversations: ConversationSQLRepository
    let messages: MessageSQLRepository

    /// An API inbox as the Client API reaches it.
    struct PublicInbox: Sendable {
        var id: Int
        var accountId: Int
        var identifier: String
        var hmacToken: String?
        var inbox: ChatwootInbox

        var target: ContactSQLRepository.InboxTarget {
            ContactSQLRepository.InboxTarget(id: self.id, channelType: "Channel::Api", settings: "{}")
        }
    }

    /// A contact inbox (the Client API's `contact_identifier` is its `source_id`).
    struct ContactInbox: Codable, Sendable {
        var id: Int
        var contactId: Int
        var inboxId: Int
        var sourceId: String
        var pubsubToken: String?
        var hmacVerified: Bool
    }

    private struct InboxKey: Codable {
        var id: Int
        var accountId: Int
        var identifier: String
        var hmacToken: String?
    }

    // MARK: Finding

    /// The API inbox with `identifier` (Chatwoot's `Channel::Api.find_by!(identifier:)`: website tokens are not
    /// identifiers); a 404 otherwise.
    func inbox(identifier: String) async throws -> PublicInbox {
        let key = try await self.database.readStatement { sql in
            try await sql.select().columns("id", "account_id", "identifier", "hmac_token").from("inboxes").where("identifier", .equal, identifier)
                .where("channel_type", .equal, "Channel::Api").first(InboxKey.self)
        }
        guard let key else { throw ChatwootRows.notFound }
        let inbox = try await self.inboxes.inbox(key.id, account: key.accountId)
        return PublicInbox(id: key.id, accountId: key.accountId, identifier: key.identifier, hmacToken: key.hmacToken, inbox: inbox)
    }

    static let contactInboxColumns = ["id", "contact_id", "inbox_id", "source_id", "pubsub_token", "hmac_verified"]

    /// The inbox's contact inbox with `sourceID` (another inbox's is a 404, as Chatwoot's `inbox.contact_inboxes.find_by!`).
    func contactInbox(_ inbox: PublicInbox, sourceID: String) async throws -> ContactInbox {
        let found = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.contactInboxColumns).from("contact_inboxes").where("inbox_id", .equal, inbox.id)
                .where("source_id", .equal, sourceID).first(ContactInbox.self)
        }
        guard let found else { throw ChatwootRows.notFound }
        return found
    }

    /// Marks the contact inbox verified by an identity hash.
    func verify(_ contactInbox: ContactInbox) async throws {
        guard !contactInbox.hmacVerified else { return }
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("contact_inboxes").set("hmac_verified", to: true).set("updated_at", to: now)
                .where("id", .equal, contactInbox.id).run()
        }
    }

    /// The contact's identifier (what an identity hash must prove).
    func identifier(contact: Int) async throws -> String? {
        try await self.database.readStatement { sql in
            try await sql.select().column("identifier").from("contacts").where("id", .equal, contact).first(IdentifierRow.self)
        }?.identifier
    }

    private struct IdentifierRow: Codable {
        var identifier: String?
    }

    /// Chatwoot's identity hash: the hex HMAC-SHA256 of the identifier with the inbox's `hmac_token`.
    static func identityHash(_ identifier: String, token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(identifier.utf8), using: SymmetricKey(data: Data(token.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Contacts

    /// What the Client API's contact create and update take.
    struct ContactAttributes: Sendable {
        var identifier: String?
        var name: String?
        var email: String?
        var phoneNumber: String?
        var avatarUrl: String?
        var customAttributes: [String: JSONValue]?
    }

    /// Chatwoot's `ContactInboxWithContactBuilder`: the inbox's contact inbox with `sourceID` when there is one; else
    /// the account's contact with the identifier, email or phone number given (or a new one, `contact_created`) gets
    /// a new contact inbox with `sourceID` (a UUID when not given) and its websocket token.
    func createContact(_ inbox: PublicInbox, sourceID: String?, _ attributes: ContactAttributes) async throws -> ContactInbox {
        if let sourceID, !sourceID.isEmpty,
            let existing = try? await self.contactInbox(inbox, sourceID: sourceID)
        {
            return existing
        }
        let source = sourceID.flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        if let contact = try await self.existingContact(account: inbox.accountId, attributes) {
            _ = try await self.contacts.addInbox(contact: contact, account: inbox.accountId, inbox: inbox.target, sourceID: source)
        } else {
            _ = try await self.contacts.create(
                .init(
                    name: attributes.name.flatMap { $0.isEmpty ? nil : $0 } ?? Self.haikuName(), email: attributes.email,
                    phoneNumber: attributes.phoneNumber, identifier: attributes.identifier, avatarUrl: attributes.avatarUrl,
                    customAttributes: attributes.customAttributes),
                account: inbox.accountId, inbox: inbox.id, sourceID: source)
        }
        return try await self.contactInbox(inbox, sourceID: source)
    }

    /// The account's contact with the identifier, else the email (any case), else the phone number given.
    private func existingContact(account: Int, _ attributes: ContactAttributes) async throws -> Int? {
        try await self.database.read { tx in
            for (column, value) in [
                ("identifier", attributes.identifier), ("email", attributes.email?.lowercased()), ("phone_number", attributes.phoneNumber),
            ] {
                guard let value, !value.isEmpty else { continue }
                if let row = try await tx.sql.select().column("id").from("contacts").where("account_id", .equal, account)
                    .where(column, .equal, value).first(IDRow.self)
                {
                    return Int(row.id)
                }
            }
            return nil
        }
    }

    /// Chatwoot's `ContactIdentifyAction` (without the identifier, which the Client API's update leaves alone): a
    /// contact of the account already holding the email or phone number absorbs this one (its contact inboxes and
    /// conversations move over), then the non-blank values are set and the custom attributes merged.
    func identify(_ contactInbox: ContactInbox, account: Int, _ attributes: ContactAttributes) async throws -> Int {
        try await self.database.transaction { tx in
            var contact = contactInbox.contactId
            for (column, value) in [("email", attributes.email?.lowercased()), ("phone_number", attributes.phoneNumber)] {
                guard let value, !value.isEmpty else { continue }
                let holder = try await tx.sql.select().column("id").from("contacts").where("account_id", .equal, account)
                    .where(column, .equal, value).where("id", .notEqual, contact).first(IDRow.self)
                if let holder {
                    _ = try await self.contacts.merge(base: Int(holder.id), mergee: contact, account: account, conversations: self.conversations)
                    contact = Int(holder.id)
                }
            }
            func present(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
            _ = try await self.contacts.update(
                contact, account: account,
                .init(
                    name: present(attributes.name), email: present(attributes.email), phoneNumber: present(attributes.phoneNumber),
                    avatarUrl: present(attributes.avatarUrl), customAttributes: attributes.customAttributes),
                includeInboxes: false)
            return contact
        }
    }

    /// Haikunator's kind of name, which Chatwoot gives a contact made without one.
    static func haikuName() -> String {
        let adjectives = [
            "autumn", "hidden", "bitter", "misty", "silent", "empty", "dry", "dark", "summer", "icy", "quiet", "white", "cool", "winter",
        ]
        let nouns = ["waterfall", "river", "breeze", "moon", "rain", "wind", "sea", "morning", "snow", "lake", "sunset", "pine", "shadow", "leaf"]
        return "\(adjectives.randomElement()!)-\(nouns.randomElement()!)-\(Int.random(in: 0..<1000))"
    }

    /// The contact with the contact inbox's source id and websocket token (`public/api/v1/models/_contact`).
    func publicContact(_ contactInbox: ContactInbox) async throws -> ChatwootPublicContact {
        let record = try await self.record(contactInbox.contactId)
        return ChatwootPublicContact(
            id: record.id, sourceId: contactInbox.sourceId, pubsubToken: contactInbox.pubsubToken, name: record.name, email: record.email,
            phoneNumber: record.phoneNumber)
    }

    private struct RecordRow: Codable {
        var id: Int
        var accountId: Int
        var name: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var additionalAttributes: String
        var customAttributes: String
        var contactType: String?
        var blocked: Bool
        var lastActivityAt: Int64?
        var createdAt: Int64
        var updatedAt: Int64
    }

    /// Contacts as `render json: contact` shows them.
    func records(_ ids: [Int]) async throws -> [Int: ChatwootPublicContactRecord] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.database.readStatement { sql in
            try await sql.select()
                .columns(
                    "id", "account_id", "name", "email", "phone_number", "identifier", "additional_attributes", "custom_attributes", "contact_type",
                    "blocked", "last_activity_at", "created_at", "updated_at"
                )
                .from("contacts").where("id", .in, Array(Set(ids))).all(RecordRow.self)
        }
        return Dictionary(
            uniqueKeysWithValues: rows.map { row in
                (
                    row.id,
                    ChatwootPublicContactRecord(
                        id: row.id, name: row.name, email: row.email, phoneNumber: row.phoneNumber, accountId: row.accountId,
                        identifier: row.identifier,
                        additionalAttributes: ChatwootRows.json(row.additionalAttributes), customAttributes: ChatwootRows.json(row.customAttributes),
                        contactType: row.contactType, blocked: row.blocked, lastActivityAt: row.lastActivityAt.map(ChatwootRows.iso),
                        createdAt: ChatwootRows.iso(row.createdAt), updatedAt: ChatwootRows.iso(row.updatedAt))
                )
            })
    }

    func record(_ id: Int) async throws -> ChatwootPublicContactRecord {
        guard let record = try await self.records([id])[id] else { throw ChatwootRows.notFound }
        return record
    }

    // MARK: Conversations

    /// The conversations the contact inbox reaches: a verified contact's all, else the contact inbox's own
    /// (Chatwoot's `hmac_verified? ? contact.conversations : contact_inbox.conversations`).
    private func scoped(_ sql: any SQLDatabase, _ contactInbox: ContactInbox) -> SQLSelectBuilder {
        let query = sql.select().columns(ConversationSQLRepository.columns).from("conversations")
        if contactInbox.hmacVerified {
            query.where("contact_id", .equal, contactInbox.contactId)
        } else {
            query.where("contact_inbox_id", .equal, contactInbox.id)
        }
        return query
    }

    func conversations(_ contactInbox: ContactInbox) async throws -> [ConversationSQLRepository.Row] {
        try await self.database.readStatement { sql in
            try await self.scoped(sql, contactInbox).orderBy("id").all(ConversationSQLRepository.Row.self)
        }
    }

    /// The reachable conversation with display id `displayID` of the inbox's account; a 404 otherwise.
    func conversation(_ contactInbox: ContactInbox, account: Int, displayID: Int) async throws -> ConversationSQLRepository.Row {
        let row = try await self.database.readStatement { sql in
            try await self.scoped(sql, contactInbox).where("account_id", .equal, account).where("display_id", .equal, displayID)
                .first(ConversationSQLRepository.Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// The contact inbox's last conversation (an inbox locked to a single conversation reuses it).
    func lastConversation(_ contactInbox: ContactInbox) async throws -> ConversationSQLRepository.Row? {
        try await self.database.readStatement { sql in
            try await sql.select().columns(ConversationSQLRepository.columns).from("conversations").where("contact_inbox_id", .equal, contactInbox.id)
                .orderBy("id", .descending).first(ConversationSQLRepository.Row.self)
        }
    }

    /// Conversations as `public/api/v1/models/_conversation` renders them: every chat message (neither private nor
    /// an activity), oldest first, and the contact.
    func render(_ rows: [ConversationSQLRepository.Row]) async throws -> [ChatwootPublicConversation] {
        guard !rows.isEmpty else { return [] }
        let displayIDs = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.displayId) })
        let messages = try await self.database.read { tx in
            let found = try await tx.sql.select().columns(MessageSQLRepository.columns).from("messages")
                .where("conversation_id", .in, rows.map(\.id)).where("private", .equal, false)
                .where("message_type", .notEqual, MessageSQLRepository.activity).orderBy("id").all(MessageSQLRepository.Row.self)
            return try await self.messages.render(tx.sql, found, displayIDs: displayIDs)
        }
        let byConversation = Dictionary(grouping: messages, by: \.conversationId)
        let contacts = try await self.records(rows.map(\.contactId))
        return rows.map { row in
            ChatwootPublicConversation(
                id: row.displayId, uuid: row.uuid, inboxId: row.inboxId, contactLastSeenAt: (row.contactLastSeenAt ?? 0) / 1000, status: row.status,
                agentLastSeenAt: (row.agentLastSeenAt ?? 0) / 1000, messages: (byConversation[row.displayId] ?? []).map(Self.publicMessage),
                contact: contacts[row.contactId])
        }
    }

    /// Records when the contact last saw the conversation (`conversation.read` on `/cable` for the inbox's users, as
    /// Chatwoot's `ActionCableListener#conversation_read`), and marks what was sent to the contact until then read
    /// (Chatwoot's `Conversations::UpdateMessageStatusJob`: each message's `message_updated`).
    func seen(_ row: ConversationSQLRepository.Row) async throws {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("conversations").set("contact_last_seen_at", to: now).where("id", .equal, row.id).run()
            try await ChatwootEvents.announce(
                .conversationRead, payload: try await self.conversations.render([try await self.conversations.reload(row.id)]).first,
                account: row.accountId, inbox: row.inboxId, tx: tx)
            let unread = try await tx.sql.select().column("id").from("messages").where("conversation_id", .equal, row.id)
                .where("status", .in, ["sent", "delivered"]).where("message_type", .notEqual, MessageSQLRepository.incoming)
                .where("created_at", .lessThanOrEqual, now).orderBy("id").all(IDRow.self)
            guard !unread.isEmpty else { return }
            let ids = unread.map { Int($0.id) }
            try await tx.sql.update("messages").set("status", to: "read").set("updated_at", to: now).where("id", .in, ids).run()
            for id in ids { try await self.messages.publish(.messageUpdated, tx, id: id, conversation: row) }
        }
    }

    // MARK: Messages

    /// Chatwoot's `MessageFinder` with `filter_internal_messages`: the latest 20 (or 20 before a message id, or up
    /// to 100 after one) that are neither private nor activities, oldest first.
    func messages(_ row: ConversationSQLRepository.Row, before: Int?, after: Int?) async throws -> [ChatwootPublicMessage] {
        try await self.database.read { tx in
            let query = tx.sql.select().columns(MessageSQLRepository.columns).from("messages").where("conversation_id", .equal, row.id)
                .where("private", .equal, false).where("message_type", .notEqual, MessageSQLRepository.activity)
            if let before { query.where("id", .lessThan, before) }
            let found: [MessageSQLRepository.Row]
            if let after {
                found = try await query.where("id", .greaterThan, after).orderBy("id").limit(100).all(MessageSQLRepository.Row.self)
            } else {
                found = try await query.orderBy("id", .descending).limit(MessageSQLRepository.pageSize).all(MessageSQLRepository.Row.self).reversed()
            }
            return try await self.messages.render(tx.sql, found, displayIDs: [row.id: row.displayId]).map(Self.publicMessage)
        }
    }

    /// One message rendered for the Client API.
    func message(_ id: Int, conversation row: ConversationSQLRepository.Row) async throws -> ChatwootPublicMessage {
        let found = try await self.messages.row(id, conversation: row.id)
        return try await self.database.read { tx in
            guard let rendered = try await self.messages.render(tx.sql, [found], displayIDs: [row.id: row.displayId]).first else {
                throw ChatwootRows.notFound
            }
            return Self.publicMessage(rendered)
        }
    }

    static func publicMessage(_ message: ChatwootMessage) -> ChatwootPublicMessage {
        ChatwootPublicMessage(
            id: message.id, content: message.content, messageType: message.messageType, contentType: message.contentType,
            contentAttributes: message.contentAttributes, createdAt: message.createdAt, conversationId: message.conversationId,
            attachments: message.attachments, sender: message.sender)
    }

    /// Sets a message's `submitted_values` (the contact's answer to an input_select, form or CSAT message) and
    /// raises `message_updated`; a CSAT answer with a rating is stored (``ChatwootCSAT/record``).
    func submit(_ message: MessageSQLRepository.Row, conversation row: ConversationSQLRepository.Row, values: JSONValue) async throws {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            var attributes = ChatwootRows.json(message.contentAttributes).object ?? [:]
            attributes["submitted_values"] = values
            try await tx.sql.update("messages").set("content_attributes", to: try ChatwootRows.text(.object(attributes)))
                .set("updated_at", to: now).where("id", .equal, message.id).run()
            try await self.messages.publish(.messageUpdated, tx, id: message.id, conversation: row)
            if message.contentType == "input_csat" {
                try await ChatwootCSAT.record(tx, messageID: message.id, conversation: row, submitted: values, at: now)
            }
        }
    }
}
