import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/customerConsents`: list with wildcards, upsert, get and delete by `{usage}_{address}` (seed L2021–L2114).
struct CustomerConsentController {
    let database: Database

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("customerConsents")
        api.get(
            "/customerConsents", "List consents (fields address, usage, consent; * and ? wildcards)", returns: [CMICustomerConsent].self,
            use: self.list)
        api.post(
            "/customerConsents", "Add or update a consent", body: CMICustomerConsent.self, returns: EmptyBody.self, status: .noContent,
            use: self.upsert)
        api.get("/customerConsents/{key}", "One consent by {usage}_{address}", returns: CMICustomerConsent.self, use: self.get)
        api.delete("/customerConsents/{key}", "Delete a consent by {usage}_{address}", returns: EmptyBody.self, status: .noContent, use: self.delete)
    }

    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMICustomerConsent] {
        let search = try CMIFieldSearch(request, searchable: ["address", "usage", "consent"])
        return try await self.database.read { try await $0.consents.consents(matching: search) }
    }

    /// An upsert: 204, no id and no Location (seed L2066–L2081).
    @Sendable func upsert(_ request: Request, context: CMIContext, consent: CMICustomerConsent) async throws -> EmptyBody {
        guard (1...256).contains(consent.address.count) else { throw ServiceError.cmiInvalid("address", consent.address) }
        try await self.database.transaction { try await $0.consents.upsert(consent) }
        return EmptyBody()
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMICustomerConsent {
        let (usage, address) = try Self.key(context)
        return try await self.database.found { try await $0.consents.consent(usage: usage, address: address) }
    }

    @Sendable func delete(_ request: Request, context: CMIContext) async throws -> EmptyBody {
        let (usage, address) = try Self.key(context)
        guard try await self.database.transaction({ try await $0.consents.delete(usage: usage, address: address) }) else {
            throw ServiceError.cmiNotFound
        }
        return EmptyBody()
    }

    /// `{usage}_{address}`: split at the first `_` (addresses may hold one, usages never); `+` stays a plus.
    /// An unknown usage names no consent: 404.
    static func key(_ context: CMIContext) throws -> (CMIConsentUsage, String) {
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
