import HTTPTypes
import ServiceKit
import WireModels

/// Answers agents gave in scripts, per contact (read-only through the CMI; loaded through the admin extension).
protocol ScriptResultRepository: Sendable {
    func put(_ result: CMIScriptResult) async throws
    func scriptResult(id: String) async throws -> CMIScriptResult?
    func scriptResults(contactId: String?, originalContactId: String?, limit: Int?) async throws -> [CMIScriptResult]
}

/// ``ScriptResultRepository`` on SQLite or PostgreSQL.
struct ScriptResultSQLRepository: ScriptResultRepository {
    let store: DocumentStore<CMIScriptResult>

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "script_results")
    }

    func put(_ result: CMIScriptResult) async throws {
        try await self.store.put(
            result,
            columns: [
                ("id", result.id), ("contact_id", result.contactId), ("originalcontact_id", result.originalcontactId),
                ("modificationtime", result.modificationtime),
            ]
        )
    }

    func scriptResult(id: String) async throws -> CMIScriptResult? {
        try await self.store.get(id: id)
    }

    func scriptResults(contactId: String?, originalContactId: String?, limit: Int?) async throws -> [CMIScriptResult] {
        let filters = [("contact_id", contactId), ("originalcontact_id", originalContactId)].compactMap { name, value in value.map { (name, $0) } }
        return try await self.store.list(where: filters, orderBy: "modificationtime DESC", limit: limit)
    }
}
