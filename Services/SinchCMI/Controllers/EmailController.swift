import Hummingbird
import ServiceKit
import WireModels

/// `GET /RI/cmi/emails` and `GET /RI/cmi/emails/{emailId}` (seed L12–L340).
struct EmailController {
    let database: Database

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("emails")
        api.get("/emails", "List emails", returns: [CMIEmail].self, use: self.list)
        api.get("/emails/{emailId}", "One email", returns: CMIEmail.self, use: self.get)
    }

    /// `GET /emails`'s parameters.
    struct Query: Decodable {
        var language, case_id, cid: String?
        var limit: CMILimit?
    }

    /// Emails filtered by `case_id` and `cid`, at most `limit`, translated to `language`.
    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIEmail] {
        let query = try request.decodeQuery(as: Query.self)
        let found = try await self.database.read {
            try await $0.emails.emails(caseId: query.case_id.nonEmpty, cid: query.cid.nonEmpty, limit: query.limit?.value)
        }
        return found.map { CMITranslations.translated($0, to: context.language(query.language)) }
    }

    /// One email; 400 for a malformed id, 404 for an unknown one.
    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIEmail {
        let (id, query) = (try context.guid("emailId"), try request.decodeQuery(as: CMILanguageQuery.self))
        return CMITranslations.translated(try await self.database.found { try await $0.emails.email(id: id) }, to: context.language(query.language))
    }
}
