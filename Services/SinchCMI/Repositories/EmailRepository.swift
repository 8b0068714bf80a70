import HTTPTypes
import ServiceKit
import WireModels

/// Emails the contact center handled (read-only through the CMI; loaded through the admin extension).
protocol EmailRepository: Sendable {
    func put(_ email: CMIEmail) async throws
    func email(id: String) async throws -> CMIEmail?
    /// Emails with the given case id and cid (exact), newest first.
    func emails(caseId: String?, cid: String?, limit: Int?) async throws -> [CMIEmail]
}

/// ``EmailRepository`` on SQLite or PostgreSQL.
struct EmailSQLRepository: EmailRepository {
    let store: DocumentStore<CMIEmail>

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "emails")
    }

    func put(_ email: CMIEmail) async throws {
        try await self.store.put(email, columns: [("id", email.id), ("case_id", email.caseId), ("cid", email.cid), ("date_created", email.dateCreated)])
    }

    func email(id: String) async throws -> CMIEmail? {
        try await self.store.get(id: id)
    }

    func emails(caseId: String?, cid: String?, limit: Int?) async throws -> [CMIEmail] {
        let filters = [("case_id", caseId), ("cid", cid)].compactMap { name, value in value.map { (name, $0) } }
        return try await self.store.list(where: filters, orderBy: "date_created DESC", limit: limit)
    }
}
