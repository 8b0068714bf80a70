import Hummingbird
import ServiceKit
import WireModels

/// `GET /RI/cmi/scriptResults` and `GET /RI/cmi/scriptResults/{scriptResultId}` (seed L341–L553).
struct ScriptResultController {
    let database: Database

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("scriptResults")
        api.get("/scriptResults", "List script results", returns: [CMIScriptResult].self, use: self.list)
        api.get("/scriptResults/{scriptResultId}", "One script result", returns: CMIScriptResult.self, use: self.get)
    }

    /// `GET /scriptResults`'s parameters.
    struct Query: Decodable {
        var contact_id, originalcontact_id: CMIGUID?
        var limit: CMILimit?
    }

    /// Script results of a contact (`contact_id`) or of the contact it was transferred from (`originalcontact_id`).
    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIScriptResult] {
        let query = try request.decodeQuery(as: Query.self)
        return try await self.database.read {
            try await $0.scriptResults.scriptResults(
                contactId: query.contact_id?.value, originalContactId: query.originalcontact_id?.value, limit: query.limit?.value)
        }
    }

    /// One script result; 400 for a malformed id, 404 for an unknown one.
    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIScriptResult {
        let id = try context.guid("scriptResultId")
        return try await self.database.found { try await $0.scriptResults.scriptResult(id: id) }
    }
}
