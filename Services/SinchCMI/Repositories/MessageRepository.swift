import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A stored outbound message and its revision: a PUT makes a new revision, so sends scheduled for an older one
/// know they are stale.
struct StoredMessage: Sendable {
    var message: CMIMessage
    var revision: String
}

/// Scheduled outbound messages.
protocol MessageRepository: Sendable {
    /// Stores a message on `database` (the caller's transaction, which also schedules its send).
    func put(_ stored: StoredMessage, on database: any SQLDatabase) async throws
    /// Replaces the document of revision `revision` on `database`; false when the message is gone or replaced.
    func update(_ message: CMIMessage, revision: String, on database: any SQLDatabase) async throws -> Bool
    func message(id: String) async throws -> StoredMessage?
    func delete(id: String) async throws
    func messages(matching conditions: [DocumentStore<CMIMessage>.Condition]) async throws -> [CMIMessage]
}

/// ``MessageRepository`` on SQLite or PostgreSQL.
struct MessageSQLRepository: MessageRepository {
    let database: Database
    let store: DocumentStore<CMIMessage>
    /// Searchable fields and their columns.
    static let columns = ["source": "source", "subType": "sub_type"]

    init(database: Database) {
        self.database = database
        self.store = DocumentStore(database: database, table: "messages")
    }

    func put(_ stored: StoredMessage, on database: any SQLDatabase) async throws {
        let message = stored.message
        let json = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        let id = message.id ?? ""
        try await database.raw("DELETE FROM messages WHERE id = \(bind: id)").run()
        try await database.raw("""
            INSERT INTO messages (id, source, sub_type, send_time, creation_time, revision, document)
            VALUES (\(bind: id), \(bind: message.source), \(bind: message.subType), \(bind: message.sendTime.map(CMITime.canonical)),
                    \(bind: CMITime.canonical(message.creationTime ?? "")), \(bind: stored.revision), \(bind: json))
            """).run()
    }

    func update(_ message: CMIMessage, revision: String, on database: any SQLDatabase) async throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        let rows = try await database.raw("""
            UPDATE messages SET document = \(bind: json) WHERE id = \(bind: message.id ?? "") AND revision = \(bind: revision) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func message(id: String) async throws -> StoredMessage? {
        guard let row = try await self.database.sql.raw("SELECT revision, document FROM messages WHERE id = \(bind: id)").first() else { return nil }
        let message = try JSONDecoder().decode(CMIMessage.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
        return StoredMessage(message: message, revision: try row.decode(column: "revision", as: String.self))
    }

    func delete(id: String) async throws {
        try await self.database.sql.raw("DELETE FROM messages WHERE id = \(bind: id)").run()
    }

    func messages(matching conditions: [DocumentStore<CMIMessage>.Condition]) async throws -> [CMIMessage] {
        try await self.store.list(matching: conditions, orderBy: "creation_time", limit: nil)
    }
}
