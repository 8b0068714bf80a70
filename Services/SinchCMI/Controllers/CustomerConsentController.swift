import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/customerConsents`: list with wildcards, upsert, get and delete by `{usage}_{address}` (seed L2021–L2114).
struct CustomerConsentController {
    let consents: any CustomerConsentRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/customerConsents", use: self.list)
        group.post("/customerConsents", use: self.upsert)
        group.get("/customerConsents/:key", use: self.get)
        group.delete("/customerConsents/:key", use: self.delete)
        let tag = "customerConsents"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/customerConsents", .init("List consents (fields address, usage, consent; * and ? wildcards)", tag: tag, security: security, responses: [200: "CustomerConsent[]", 400: "Bad Request"]))
        document.describe(.post, "/RI/cmi/customerConsents", .init("Add or update a consent", tag: tag, security: security, responses: [204: "Stored", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/customerConsents/{key}", .init("One consent by {usage}_{address}", tag: tag, security: security, responses: [200: "CustomerConsent", 404: "Not Found"]))
        document.describe(.delete, "/RI/cmi/customerConsents/{key}", .init("Delete a consent by {usage}_{address}", tag: tag, security: security, responses: [204: "Deleted", 404: "Not Found"]))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let search = try CMIFieldSearch(query: CMIQuery(request), searchable: ["address", "usage", "consent"])
        return try CMICoder.response(try await self.consents.consents(matching: search), format: format)
    }

    /// An upsert: 204, no id and no Location (seed L2066–L2081).
    @Sendable func upsert(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let consent = try await CMICoder.decode(CMICustomerConsent.self, from: request, context: context)
        guard (1...256).contains(consent.address.count) else {
            throw ServiceError(.badRequest, message: "Invalid value for address: \(consent.address)", field: "address")
        }
        try await self.consents.upsert(consent)
        return CMIResponses.noContent
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let (usage, address) = try Self.key(context)
        guard let consent = try await self.consents.consent(usage: usage, address: address) else { throw ServiceError.cmiNotFound }
        return try CMICoder.response(consent, format: format)
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (usage, address) = try Self.key(context)
        guard try await self.consents.delete(usage: usage, address: address) else { throw ServiceError.cmiNotFound }
        return CMIResponses.noContent
    }

    /// `{usage}_{address}`: split at the first `_` (addresses may hold one, usages never); `+` stays a plus.
    /// An unknown usage names no consent: 404.
    static func key(_ context: AuthenticatedContext) throws -> (CMIConsentUsage, String) {
        let raw = try context.parameters.require("key")
        let key = raw.removingPercentEncoding ?? raw
        guard let separator = key.firstIndex(of: "_"), let usage = CMIConsentUsage(rawValue: String(key[..<separator])) else {
            throw ServiceError.cmiNotFound
        }
        let address = String(key[key.index(after: separator)...])
        // A NUL (`%2500` decodes to one here) can be in no stored address, and PostgreSQL cannot compare one.
        guard !address.isEmpty, !address.utf8.contains(0) else { throw ServiceError.cmiNotFound }
        return (usage, address)
    }
}
