import ServiceKit
import WireModels

/// Chats: created through the CMI or loaded through the administration extension.
protocol ChatRepository: Sendable {
    func put(_ chat: CMIChat) async throws
    func chat(id: String) async throws -> CMIChat?
    /// Chats by originator, sub type and destination (exact), newest first.
    func chats(originator: String?, channelSubType: String?, destination: String?, limit: Int?) async throws -> [CMIChat]
}

/// ``ChatRepository`` on SQLite or PostgreSQL.
struct ChatSQLRepository: ChatRepository {
    let store: DocumentStore<CMIChat>

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "chats")
    }

    func put(_ chat: CMIChat) async throws {
        try await self.store.put(
            chat,
            columns: [
                ("id", chat.id), ("originator", chat.originator), ("channel_sub_type", chat.channelSubType),
                ("destination", chat.destination), ("date_created", CMITime.canonical(chat.dateCreated)),
            ]
        )
    }

    func chat(id: String) async throws -> CMIChat? {
        try await self.store.get(id: id)
    }

    func chats(originator: String?, channelSubType: String?, destination: String?, limit: Int?) async throws -> [CMIChat] {
        let filters = [("originator", originator), ("channel_sub_type", channelSubType), ("destination", destination)]
            .compactMap { name, value in value.map { (name, $0) } }
        return try await self.store.list(where: filters, orderBy: "date_created DESC", limit: limit)
    }
}
