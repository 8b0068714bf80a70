import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `GET /RI/cmi/scriptResults` and `GET /RI/cmi/scriptResults/{scriptResultId}` (seed L341–L553).
struct ScriptResultController {
    let results: any ScriptResultRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/scriptResults", use: self.list)
        group.get("/scriptResults/:scriptResultId", use: self.get)
        let tag = "scriptResults"
        document.describe(.get, "/RI/cmi/scriptResults", .init("List script results", tag: tag, security: ["basicAuth"], responses: [200: "ScriptResult[]", 400: "Bad Request"]))
        document.describe(
            .get, "/RI/cmi/scriptResults/{scriptResultId}", .init("One script result", tag: tag, security: ["basicAuth"], responses: [200: "ScriptResult", 404: "Not Found"])
        )
    }

    /// Script results of a contact (`contact_id`) or of the contact it was transferred from (`originalcontact_id`).
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let query = CMIQuery(request)
        let found = try await self.results.scriptResults(
            contactId: try query.guid("contact_id"), originalContactId: try query.guid("originalcontact_id"), limit: try query.limit()
        )
        return try CMICoder.response(found, format: format)
    }

    /// One script result; 400 for a malformed id, 404 for an unknown one.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let id = try CMIIdentifier.guid(try context.parameters.require("scriptResultId"))
        guard let result = try await self.results.scriptResult(id: id) else { throw ServiceError.cmiNotFound }
        return try CMICoder.response(result, format: format)
    }
}
