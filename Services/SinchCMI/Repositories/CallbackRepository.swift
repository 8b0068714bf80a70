import ServiceKit
import WireModels

/// Callback requests waiting for the dialler.
protocol CallbackRepository: Sendable {
    func put(_ callback: CMICallback) async throws
    func callback(id: String) async throws -> CMICallback?
    /// Callbacks whose fields match the search patterns, oldest first.
    func callbacks(matching search: CMIFieldSearch) async throws -> [CMICallback]
}

/// ``CallbackRepository`` on SQLite or PostgreSQL.
struct CallbackSQLRepository: CallbackRepository {
    let store: DocumentStore<CMICallback>
    /// Searchable fields and their columns.
    static let columns = ["customerNumber": "customer_number"]

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "callbacks")
    }

    func put(_ callback: CMICallback) async throws {
        try await self.store.put(
            callback, columns: [("id", callback.id), ("customer_number", callback.customerNumber), ("creation_time", CMITime.canonical(callback.creationTime))]
        )
    }

    func callback(id: String) async throws -> CMICallback? {
        try await self.store.get(id: id)
    }

    func callbacks(matching search: CMIFieldSearch) async throws -> [CMICallback] {
        let conditions = search.patterns.compactMap { field, like in
            Self.columns[field].map { DocumentStore<CMICallback>.Condition(column: $0, comparison: .like, value: like) }
        }
        return try await self.store.list(matching: conditions, orderBy: "creation_time", limit: nil)
    }
}
