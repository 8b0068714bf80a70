import SQLKit
import ServiceKit
import WireModels

/// The conversations of a contact: as outreach's auto-attach looks for its tickets (outreach-contact spec §5.6), and as the
/// portal lists them (spec §5.12).
extension ConversationSQLRepository {
    /// The site's ticket that holds a message with `originalId`, if any: in the trash too, as the message did land there.
    func ticket(holding originalId: String, site: String) async throws -> Int64? {
        let message = { (name: String) in SQLColumn(name, table: "conversation_messages") }
        let conversation = { (name: String) in SQLColumn(name, table: "conversations") }
        return try await self.sql.select().column(SQLAlias(message("conversation_id"), as: SQLIdentifier("id"))).from("conversation_messages")
            .join("conversations", on: conversation("id"), .equal, message("conversation_id"))
            .where(message("site_id"), .equal, SQLBind(site)).where(message("original_message_id"), .equal, SQLBind(originalId))
            .limit(1).first(IDRow.self)?.id
    }

    /// The contact's most recently active ticket that is in use and not closed.
    func latestOpenTicket(contact: String, site: String) async throws -> ConversationRow? {
        try await self.sql.select().column("*").from("conversations").where("site_id", .equal, site)
            .where("related_type", .equal, AnytimeRelatedType.contact.rawValue).where("related_id", .equal, contact)
            .where("is_deleted", .equal, false).where("status", .notEqual, AnytimeStatus.closed.rawValue)
            .orderBy("last_activity_time", .descending).orderBy("id", .descending).limit(1).first(ConversationRow.self)
    }

    /// The site's conversations in use about any of `contacts`, newest first, at most `limit`.
    func portalConversations(of contacts: [String], site: String, limit: Int) async throws -> [ConversationRow] {
        try await self.sql.select().column("*").from("conversations").where("site_id", .equal, site)
            .where("related_type", .equal, AnytimeRelatedType.contact.rawValue).where("related_id", .in, contacts)
            .where("is_deleted", .equal, false).orderBy("created_time", .descending).orderBy("id", .descending).limit(limit)
            .all(ConversationRow.self)
    }
}
