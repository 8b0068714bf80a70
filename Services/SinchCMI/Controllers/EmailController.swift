import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `GET /RI/cmi/emails` and `GET /RI/cmi/emails/{emailId}` (seed L12–L340).
struct EmailController {
    let emails: any EmailRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/emails", use: self.list)
        group.get("/emails/:emailId", use: self.get)
        let tag = "emails"
        document.describe(.get, "/RI/cmi/emails", .init("List emails", tag: tag, security: ["basicAuth"], responses: [200: "Email[]", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/emails/{emailId}", .init("One email", tag: tag, security: ["basicAuth"], responses: [200: "Email", 404: "Not Found"]))
    }

    /// Emails filtered by `case_id` and `cid`, at most `limit`, translated to `language`.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let query = CMIQuery(request)
        let found = try await self.emails.emails(caseId: query.string("case_id"), cid: query.string("cid"), limit: try query.limit())
        let language = CMITranslations.language(query: query.string("language"), user: context.identity.language)
        return try CMICoder.response(found.map { Self.translated($0, to: language) }, format: format)
    }

    /// One email; 400 for a malformed id, 404 for an unknown one.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let id = try CMIIdentifier.guid(try context.parameters.require("emailId"))
        guard let email = try await self.emails.email(id: id) else { throw ServiceError.cmiNotFound }
        let language = CMITranslations.language(query: CMIQuery(request).string("language"), user: context.identity.language)
        return try CMICoder.response(Self.translated(email, to: language), format: format)
    }

    static func translated(_ email: CMIEmail, to language: String?) -> CMIEmail {
        var email = email
        email.typeDetails = email.typeDetails.map { CMITranslations.translate($0, to: language) }
        email.statusDetails = email.statusDetails.map { CMITranslations.translate($0, to: language) }
        return email
    }
}
