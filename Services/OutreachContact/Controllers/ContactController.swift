import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

extension Comm100Contact: ResponseEncodable {}
extension Comm100ContactPage: ResponseEncodable {}

/// `/contact/contacts`: contacts with their identities and field values (seed 002 L700–L1046; spec §5.8–§5.10).
struct ContactController {
    let store: ContactStore
    /// Ids one batch delete may name (each is a bound parameter of one statement).
    static let maxBatch = 1000

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Contacts")
        let errors = [400: "Invalid contact or parameter", 403: "Missing permission \(ContactPermission.contacts)", 404: "Not found"]
        api.get(
            "/contacts", "List or search contacts (merged contacts left out)", returns: Comm100ContactPage.self,
            query: [
                QueryParameter("keywords", "Matched in the name and identities' ids and values, any case"),
                QueryParameter("contactIdentityType", "An identity type the contact has"),
                QueryParameter("contactIdentityValue", "An identity value the contact has (with contactIdentityType: of that type)"),
                QueryParameter("pageIndex", "From 1", .integer), QueryParameter("pageSize", "10 by default, 0 for all, at most 500", .integer),
                QueryParameter("sortBy", "name, createTime (default), lastUpdatedTime, firstName, lastName or id"),
                QueryParameter("sortOrder", "asc (default) or desc"),
            ], errors: errors, use: self.list)
        api.post(
            "/contacts:query", "Query contacts with filter conditions (all, any or a logical expression over their orders)",
            body: Comm100ContactQuery.self, returns: Comm100ContactPage.self,
            query: [
                QueryParameter("pageIndex", "Overrides the body's (the page links use it)", .integer),
                QueryParameter("pageSize", "Overrides the body's", .integer),
            ], errors: errors, use: self.query)
        api.get(
            "/contacts/{id}", "Get a contact (a merged one too, with mergeToContactId)", returns: Comm100Contact.self, errors: errors, use: self.get)
        api.post(
            "/contacts", "Create a contact", body: Comm100ContactInput.self, returns: Comm100Contact.self, status: .created,
            errors: errors.merging([409: "An identity belongs to another contact"]) { $1 }, use: self.create)
        api.put(
            "/contacts/{id}", "Update a contact (given identities replace the list; given custom fields merge, \"\" clears)",
            body: Comm100ContactInput.self, returns: Comm100Contact.self,
            errors: errors.merging([409: "An identity belongs to another contact"]) { $1 },
            use: self.update)
        api.delete("/contacts/{id}", "Delete a contact", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
        api.delete(
            "/contacts", "Delete contacts: ids in the query (repeated or comma-separated) or a JSON body {\"ids\": [...]}; unknown ids are ignored",
            returns: EmptyBody.self, status: .noContent, query: [QueryParameter("ids", "Contact ids", required: false)], errors: errors,
            use: self.deleteMany)
        api.post(
            "/contacts/{id}:merge", "Merge the contact of the body's contactId into this one", body: Comm100ContactMerge.self,
            returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.merge)
    }

    /// The list's query parameters.
    struct ListParameters: Decodable {
        var keywords: String?
        var contactIdentityType: String?
        var contactIdentityValue: String?
        @QueryInteger var pageIndex: Int?
        @QueryInteger var pageSize: Int?
        var sortBy: String?
        var sortOrder: String?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Comm100ContactPage {
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let paging = try ContactPaging(
            pageIndex: parameters.pageIndex, pageSize: parameters.pageSize, sortBy: parameters.sortBy, sortOrder: parameters.sortOrder)
        var search = ContactSearch(site: context.site)
        search.keywords = Self.keywords(parameters.keywords)
        if let type = parameters.contactIdentityType, !type.trimmingCharacters(in: .whitespaces).isEmpty {
            search.identityType = try IdentityRules.type(type, member: "contactIdentityType")
        }
        if let value = parameters.contactIdentityValue?.trimmingCharacters(in: .whitespaces), !value.isEmpty { search.identityValue = value }
        return try await self.page(search, paging, request: request)
    }

    @Sendable func query(_ request: Request, context: AuthenticatedContext, body: Comm100ContactQuery) async throws -> Comm100ContactPage {
        struct Overrides: Decodable {
            @QueryInteger var pageIndex: Int?
            @QueryInteger var pageSize: Int?
        }
        let overrides = try request.decodeQuery(as: Overrides.self)
        let paging = try ContactPaging(
            pageIndex: overrides.pageIndex ?? body.pageIndex, pageSize: overrides.pageSize ?? body.pageSize, sortBy: body.sortBy,
            sortOrder: body.sortOrder)
        let site = context.site
        let fields = try await self.store.read(site: site) { tx in try await tx.contactFields.fields(site: site) }
        var search = ContactSearch(site: site)
        search.keywords = Self.keywords(body.keywords)
        search.filter = try ContactFilter(member: "filterConditions", fields: fields).predicate(
            metType: body.filterConditionMetType, expression: body.filterLogicalExpression, conditions: body.filterConditions ?? [],
            metTypeMember: "filterConditionMetType", expressionMember: "filterLogicalExpresssion")
        return try await self.page(search, paging, request: request)
    }

    /// One page of `search`, its fields and contacts read on one snapshot.
    func page(_ search: ContactSearch, _ paging: ContactPaging, request: Request) async throws -> Comm100ContactPage {
        let (fields, total, contacts) = try await self.store.read(site: search.site) { tx in
            let fields = try await tx.contactFields.fields(site: search.site)
            let found = try await tx.contacts.page(search, try paging.listQuery(fields: fields))
            return (fields, found.total, found.contacts)
        }
        return paging.page(total: total, contacts: contacts.map { $0.wire(fields: fields) }, request: request)
    }

    static func keywords(_ text: String?) -> String? {
        let keywords = (text ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return keywords.isEmpty ? nil : keywords
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100Contact {
        let (site, id) = (context.site, try context.guid())
        return try await self.store.read(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            guard let record = try await tx.contacts.contact(id: id, site: site) else { throw ServiceError.notFound("Contact") }
            return record.wire(fields: fields)
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Comm100ContactInput) async throws -> Comm100Contact {
        try context.require(permission: ContactPermission.contacts)
        let (site, now) = (context.site, self.store.now)
        return try await self.store.write(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            let record = try ContactRules(fields: fields).created(input, now: now)
            try await Self.checkUnique(record, tx: tx, site: site)
            try await tx.contacts.insert(record, site: site)
            return record.wire(fields: fields)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Comm100ContactInput) async throws -> Comm100Contact {
        try context.require(permission: ContactPermission.contacts)
        let (site, id, now) = (context.site, try context.guid(), self.store.now)
        return try await self.store.write(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            guard let current = try await tx.contacts.contact(id: id, site: site) else { throw ServiceError.notFound("Contact") }
            let record = try ContactRules(fields: fields).updated(input, current: current, now: now)
            try await Self.checkUnique(record, tx: tx, site: site)
            try await tx.contacts.update(record, site: site)
            return record.wire(fields: fields)
        }
    }

    /// 409 when another contact of the site has one of the record's identities (spec §5.9, decision 126).
    static func checkUnique(_ record: ContactRecord, tx: Tx, site: String) async throws {
        if let (identity, owner) = try await tx.contacts.taken(record.identities, except: record.id, site: site) {
            throw ServiceError(
                .conflict, message: "The \(identity.type.rawValue) identity '\(identity.value)' already belongs to the contact \(owner).",
                field: "contactIdentities")
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: ContactPermission.contacts)
        let (site, id) = (context.site, try context.guid())
        let deleted = try await self.store.write(site: site) { tx in try await tx.contacts.delete(ids: [id], site: site) }
        guard deleted == 1 else { throw ServiceError.notFound("Contact") }
        return EmptyBody()
    }

    /// Batch delete (L1020–L1031): every known id of the site goes; unknown ids are ignored (spec §5.9).
    @Sendable func deleteMany(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: ContactPermission.contacts)
        var texts = Self.queryIds(request)
        let body = try await request.body.collect(upTo: context.maxBodySize)
        if !String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            texts += try JSONBody.decode(Comm100ContactIds.self, from: body).ids ?? []
        }
        guard !texts.isEmpty else { throw ServiceError.missing("ids") }
        guard texts.count <= Self.maxBatch else { throw ServiceError.invalid("ids", "Parameter 'ids' may name at most \(Self.maxBatch) contacts.") }
        var ids: [String] = []
        for text in texts {
            guard let id = ContactIDs.parse(text) else {
                throw ServiceError.invalid("ids", "Parameter 'ids' must hold GUIDs, not '\(FieldValues.shortened(text))'.")
            }
            ids.append(id)
        }
        let (site, known) = (context.site, ids)
        try await self.store.write(site: site) { tx in try await tx.contacts.delete(ids: known, site: site) }
        return EmptyBody()
    }

    /// `ids=a&ids=b`, `ids=a,b` or `ids[]=a`.
    static func queryIds(_ request: Request) -> [String] {
        let items = URLComponents(string: request.uri.description)?.queryItems ?? []
        return items.filter { ["ids", "ids[]"].contains($0.name.lowercased()) }.flatMap { ($0.value ?? "").split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Merges the body's contact (the source) into the path's (the survivor; decision 128, spec §5.10): the source's
    /// identities move, the survivor's empty values are filled from the source's, and the source points at the
    /// survivor and leaves lists and queries. Into itself, from or into a merged contact: 400.
    @Sendable func merge(_ request: Request, context: AuthenticatedContext, input: Comm100ContactMerge) async throws -> EmptyBody {
        try context.require(permission: ContactPermission.contacts)
        let (site, targetId, now) = (context.site, try context.guid(), self.store.now)
        guard let text = input.contactId, !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("contactId") }
        guard let sourceId = ContactIDs.parse(text) else {
            throw ServiceError.invalid("contactId", "Field 'contactId' must be a GUID, not '\(FieldValues.shortened(text))'.")
        }
        guard sourceId != targetId else { throw ServiceError.invalid("contactId", "A contact cannot be merged into itself.") }
        try await self.store.write(site: site) { tx in
            guard var target = try await tx.contacts.contact(id: targetId, site: site) else { throw ServiceError.notFound("Contact") }
            guard var source = try await tx.contacts.contact(id: sourceId, site: site) else { throw ServiceError.notFound("Contact \(sourceId)") }
            if let into = target.mergeToContactId {
                throw ServiceError.invalid("id", "The contact \(targetId) was merged into \(into); merge into that contact instead.")
            }
            if let into = source.mergeToContactId {
                throw ServiceError.invalid("contactId", "The contact \(sourceId) was already merged into \(into).")
            }
            target.identities += source.identities
            for (fieldId, value) in source.values where target.values[fieldId] == nil { target.values[fieldId] = value }
            target.lastUpdatedTime = now
            source.identities = []
            source.mergeToContactId = target.id
            source.lastUpdatedTime = now
            // The source's identities leave it before the survivor takes them, so uniqueness holds at every statement.
            try await tx.contacts.update(source, site: site)
            try await tx.contacts.update(target, site: site)
        }
        return EmptyBody()
    }
}
