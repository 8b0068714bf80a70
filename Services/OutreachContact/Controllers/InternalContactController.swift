import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `/internal/...` (internal token): what conversation asks of the contact database (ARCHITECTURE §3): contacts by id
/// for `include=contactOrVisitor`, and the owners of an identity to know who wrote an inbound message.
struct InternalContactController {
    let store: ContactStore

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/sites/{siteId}/contacts:lookup", "The site's contacts among ids, for another service", body: ContactLookupRequest.self,
            returns: [Comm100Contact].self, errors: [400: "Invalid request"], use: self.lookup)
        api.post(
            "/sites/{siteId}/contacts:identify", "The site's contacts owning an identity, for another service", body: ContactIdentifyRequest.self,
            returns: [Comm100Contact].self, errors: [400: "Invalid request"], use: self.identify)
    }

    @Sendable func lookup(_ request: Request, context: AppRequestContext, body: ContactLookupRequest) async throws -> [Comm100Contact] {
        let site = try Self.site(context)
        guard body.ids.count <= OutreachContactClient.lookupLimit else {
            throw ServiceError.invalid("ids", "Field 'ids' may hold at most \(OutreachContactClient.lookupLimit) ids.")
        }
        let ids = body.ids.filter { $0.count <= 64 }
        guard !ids.isEmpty else { return [] }
        return try await self.store.read(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            return try await tx.contacts.exported(ids: ids, site: site).map { $0.wire(fields: fields) }
        }
    }

    @Sendable func identify(_ request: Request, context: AppRequestContext, body: ContactIdentifyRequest) async throws -> [Comm100Contact] {
        let site = try Self.site(context)
        let type = try IdentityRules.type(body.identityType, member: "identityType")
        let value = body.value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ServiceError.missing("value") }
        guard value.count <= 1000 else { throw ServiceError.invalid("value", "Field 'value' may hold at most 1000 characters.") }
        return try await self.store.read(site: site) { tx in
            let owners = Set(try await tx.contacts.identities(value: value, type: type, site: site).map(\.contactId))
            guard !owners.isEmpty else { return [] }
            let fields = try await tx.contactFields.fields(site: site)
            return try await tx.contacts.exported(ids: owners.sorted(), site: site).map { $0.wire(fields: fields) }
        }
    }

    /// The site of the path: a site number, else 400.
    static func site(_ context: AppRequestContext) throws -> String {
        let site = try context.parameters.require("siteId")
        guard !site.isEmpty, site.count <= 32, site.allSatisfy(\.isNumber) else {
            throw ServiceError.invalid("siteId", "Parameter 'siteId' must be a site number.")
        }
        return site
    }
}
