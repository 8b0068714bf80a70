import SQLKit
import ServiceKit

extension ConversationSQLRepository {
    /// How many conversations a contact's list shows (Chatwoot's `limit(20)`).
    static let contactPageSize = 20

    /// The newest 20 conversations of one of the account's contacts in the inboxes the caller may see (Chatwoot's
    /// `Contacts::ConversationsController#index`); a contact of another account, or none, is a 404.
    func conversations(ofContact contact: Int, _ caller: ChatwootCaller) async throws -> [Row] {
        let inboxes = try await self.access.inboxIDs(caller)
        return try await self.database.read { tx in
            guard
                try await tx.sql.select().column("id").from("contacts").where("id", .equal, contact).where("account_id", .equal, caller.accountID)
                    .first(IDRow.self) != nil
            else { throw ChatwootRows.notFound }
            return try await tx.sql.select().columns(Self.columns).from("conversations").where("account_id", .equal, caller.accountID)
                .where("contact_id", .equal, contact).where("inbox_id", .in, inboxes.isEmpty ? [-1] : inboxes)
                .orderBy("id", .descending).limit(Self.contactPageSize).all(Row.self)
        }
    }
}
