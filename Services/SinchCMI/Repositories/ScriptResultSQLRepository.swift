import SQLKit
import ServiceKit
import WireModels

/// Answers agents gave in scripts, per contact (read-only through the CMI; loaded through the admin extension).
struct ScriptResultSQLRepository {
    let sql: any SQLDatabase

    func put(_ result: CMIScriptResult) async throws {
        try await self.sql.delete(from: "script_results").where("id", .equal, result.id).run()
        try await self.sql.insert(into: "script_results").row(ScriptResultRow(result)).run()
    }

    func scriptResult(id: String) async throws -> CMIScriptResult? {
        try await self.sql.select().column("*").from("script_results").where("id", .equal, id).first(ScriptResultRow.self)?.result
    }

    /// Results by contact and original contact, newest first.
    func scriptResults(contactId: String?, originalContactId: String?, limit: Int?) async throws -> [CMIScriptResult] {
        let select = self.sql.select().column("*").from("script_results").orderBy("modificationtime", .descending).orderBy("id").limit(limit)
        if let contactId { select.where("contact_id", .equal, contactId) }
        if let originalContactId { select.where("originalcontact_id", .equal, originalContactId) }
        return try await select.all(ScriptResultRow.self).map(\.result)
    }
}

/// A `script_results` row; the questions with their answers are JSON, read and written whole.
struct ScriptResultRow: Codable, Sendable {
    var id, scriptId, name, contactId, originalcontactId, modificationtime: String
    var scriptquestions: JSONText<[CMIScriptResultQuestion]>

    init(_ r: CMIScriptResult) {
        (self.id, self.scriptId, self.name, self.contactId, self.originalcontactId) = (r.id, r.scriptId, r.name, r.contactId, r.originalcontactId)
        (self.modificationtime, self.scriptquestions) = (r.modificationtime, JSONText(r.scriptquestions))
    }

    var result: CMIScriptResult {
        CMIScriptResult(
            id: self.id, scriptId: self.scriptId, name: self.name, contactId: self.contactId, originalcontactId: self.originalcontactId,
            modificationtime: self.modificationtime, scriptquestions: self.scriptquestions.value
        )
    }
}
