import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

extension Comm100ContactIdentity: ResponseEncodable {}

/// `/contact/contactIdentities` (L1128–L1193; the seed also writes `ContactIdentities`, which is served too, as every
/// Contact API path is in any case).
struct ContactIdentityController {
    let store: ContactStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Contact Identities")
        let errors = [400: "Invalid parameter", 404: "Not found"]
        api.get("/contactIdentities/{id}", "Get a contact identity", returns: Comm100ContactIdentity.self, errors: errors, use: self.get)
        api.post(
            "/contactIdentities:identify",
            "Find identities by value (compared as uniqueness compares them), of identityType if given: a bare array, [] when none; "
                + "value and identityType in a JSON body or the query",
            returns: [Comm100ContactIdentity].self,
            query: [QueryParameter("value", "The identity value"), QueryParameter("identityType", "An identity type")], errors: errors,
            use: self.identify)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100ContactIdentity {
        let (site, id) = (context.site, try context.guid())
        guard let found = try await self.store.read(site: site, { tx in try await tx.contacts.identity(id: id, site: site) }) else {
            throw ServiceError.notFound("Contact identity")
        }
        return found.identity.wire(contactId: found.contactId)
    }

    /// A read-only lookup (spec §5.9): it never creates a contact.
    @Sendable func identify(_ request: Request, context: AuthenticatedContext) async throws -> [Comm100ContactIdentity] {
        var lookup = try request.decodeQuery(as: Comm100IdentifyRequest.self)
        let body = try await request.body.collect(upTo: context.maxBodySize)
        if !String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let given = try JSONBody.decode(Comm100IdentifyRequest.self, from: body)
            lookup.value = given.value ?? lookup.value
            lookup.identityType = given.identityType ?? lookup.identityType
        }
        guard let value = lookup.value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { throw ServiceError.missing("value") }
        let spelling = lookup.identityType?.trimmingCharacters(in: .whitespaces) ?? ""
        let type = spelling.isEmpty ? nil : try IdentityRules.type(spelling, member: "identityType")
        let site = context.site
        return try await self.store.read(site: site) { tx in
            try await tx.contacts.identities(value: value, type: type, site: site).map { $0.identity.wire(contactId: $0.contactId) }
        }
    }
}
