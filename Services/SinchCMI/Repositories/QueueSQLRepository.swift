import SQLKit
import ServiceKit

/// Queues defined through the administration extension, with the addresses they answer on.
struct QueueSQLRepository {
    let sql: any SQLDatabase

    /// Replaces the queue and its addresses.
    func put(_ queue: CMIQueue) async throws {
        try await self.sql.delete(from: "queue_addresses").where("queue_id", .equal, queue.id).run()
        try await self.sql.delete(from: "queues").where("id", .equal, queue.id).run()
        try await self.sql.insert(into: "queues").columns("id", "name").values(SQLBind(queue.id), SQLBind(queue.name)).run()
        guard !queue.addresses.isEmpty else { return }
        try await self.sql.insert(into: "queue_addresses").rows(Set(queue.addresses).sorted().map { QueueAddressRow(queueId: queue.id, address: $0) })
            .run()
    }

    func queue(id: String) async throws -> CMIQueue? {
        try await self.queues(where: SQLBinaryExpression(SQLColumn("id"), .equal, SQLBind(id))).first
    }

    /// Every queue, by name.
    func queues(where predicate: (any SQLExpression)? = nil) async throws -> [CMIQueue] {
        let select = self.sql.select().columns("id", "name").from("queues").orderBy("name").orderBy("id")
        if let predicate { select.where(predicate) }
        let queues = try await select.all(QueueRow.self)
        guard !queues.isEmpty else { return [] }
        let addresses = try await self.sql.select().columns("queue_id", "address").from("queue_addresses")
            .where("queue_id", .in, queues.map(\.id)).orderBy("address").all(QueueAddressRow.self)
        return queues.map { queue in CMIQueue(id: queue.id, name: queue.name, addresses: addresses.filter { $0.queueId == queue.id }.map(\.address)) }
    }

    /// The queue answering on `address` (a message's `source`, a callback's queue number), if any.
    func queue(address: String) async throws -> CMIQueue? {
        let owner = SQLSubquery.select { $0.column("queue_id").from("queue_addresses").where("address", .equal, address) }
        return try await self.queues(where: SQLBinaryExpression(SQLColumn("id"), .in, owner)).first
    }
}

struct QueueRow: Codable, Sendable {
    var id, name: String
}

/// A `queue_addresses` row: one address a queue answers on.
struct QueueAddressRow: Codable, Sendable {
    var queueId, address: String
}
