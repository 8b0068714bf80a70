import ServiceKit

/// Queues defined through the administration extension.
protocol QueueRepository: Sendable {
    func put(_ queue: CMIQueue) async throws
    func queue(id: String) async throws -> CMIQueue?
    func queues() async throws -> [CMIQueue]
}

/// ``QueueRepository`` on SQLite or PostgreSQL.
struct QueueSQLRepository: QueueRepository {
    let store: DocumentStore<CMIQueue>

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "queues")
    }

    func put(_ queue: CMIQueue) async throws {
        try await self.store.put(queue, columns: [("id", queue.id), ("name", queue.name)])
    }

    func queue(id: String) async throws -> CMIQueue? {
        try await self.store.get(id: id)
    }

    func queues() async throws -> [CMIQueue] {
        try await self.store.list(where: [], orderBy: "name", limit: nil)
    }
}
