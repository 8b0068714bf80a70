import SQLKit
import ServiceKit
import WireModels

/// Callback requests waiting for the dialler; the wire type is the row (`customerNumber` is `customer_number`).
struct CallbackSQLRepository {
    let sql: any SQLDatabase
    /// Searchable fields and their columns.
    static let columns = ["customerNumber": "customer_number"]

    func put(_ callback: CMICallback) async throws {
        try await self.sql.delete(from: "callbacks").where("id", .equal, callback.id).run()
        try await self.sql.insert(into: "callbacks").row(callback).run()
    }

    func callback(id: String) async throws -> CMICallback? {
        try await self.sql.select().column("*").from("callbacks").where("id", .equal, id).first(CMICallback.self)
    }

    /// Callbacks whose fields match the search, oldest first.
    func callbacks(matching search: CMIFieldSearch) async throws -> [CMICallback] {
        try await self.sql.select().column("*").from("callbacks").matching(search, columns: Self.columns).orderBy("creation_time").orderBy("id")
            .all(CMICallback.self)
    }
}
