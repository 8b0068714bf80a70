import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

/// `/RI/cmi/contacts`: every phone call, chat and email, searchable; and the operative remarks of a contact
/// group (seed L1415–L1731).
struct ContactController {
    let contacts: any ContactRepository
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/contacts", use: self.list)
        group.get("/contacts/:contactId", use: self.get)
        group.get("/contacts/:contactId/remarks", use: self.remarks)
        group.post("/contacts/:contactId/remarks", use: self.addRemarks)
        group.put("/contacts/:contactId/remarks", use: self.updateRemarks)
        let tag = "contacts"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/contacts", .init("Search contacts of every channel", tag: tag, security: security, responses: [200: "Contact[]", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/contacts/{contactId}", .init("One contact", tag: tag, security: security, responses: [200: "Contact", 404: "Not Found"]))
        document.describe(.get, "/RI/cmi/contacts/{contactId}/remarks", .init("The remarks of a contact group (text/plain)", tag: tag, security: security, responses: [200: "Remarks", 404: "Not Found"]))
        document.describe(.post, "/RI/cmi/contacts/{contactId}/remarks", .init("Add remarks to a phone call that has none", tag: tag, security: security, responses: [204: "Added", 400: "Bad Request", 403: "Not the responsible agent", 404: "Not Found", 409: "Remarks exist"]))
        document.describe(.put, "/RI/cmi/contacts/{contactId}/remarks", .init("Update the remarks of a contact", tag: tag, security: security, responses: [204: "Updated", 403: "Not the responsible agent", 404: "Not Found"]))
    }

    /// The parameters `/contacts` documents; anything else must be a searchable field.
    static let documented: Set<String> = [
        "search", "startTime", "endTime", "subject", "body", "remarks", "caseId", "agentId", "queueId", "contactGroupId",
        "pickable", "statistics", "language", "sort", "limit",
    ]

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let parameters = CMIQuery(request)
        let query = try Self.query(parameters)
        let pickable = try Self.flag(parameters, "pickable")
        let statistics = try Self.flag(parameters, "statistics")
        let now = self.clock.date()
        var records = try await self.contacts.records(matching: query, now: CMITime.format(now))
        if pickable {
            records = records.filter { Pickability.isPickable($0, userID: context.identity.principalID, rights: context.identity.permissions) }
        }
        let language = CMITranslations.language(query: parameters.string("language"), user: context.identity.language)
        return try CMICoder.response(records.map { Self.translated(ContactStatistics.apply(to: $0, statistics: statistics, now: now), to: language) }, format: format)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let id = try CMIIdentifier.guid(try context.parameters.require("contactId"))
        guard let record = try await self.contacts.record(id: id) else { throw ServiceError.cmiNotFound }
        let parameters = CMIQuery(request)
        let language = CMITranslations.language(query: parameters.string("language"), user: context.identity.language)
        let contact = ContactStatistics.apply(to: record, statistics: try Self.flag(parameters, "statistics"), now: self.clock.date())
        return try CMICoder.response(Self.translated(contact, to: language), format: format)
    }

    /// The operative remarks of a contact group, as plain text; 404 when the group is unknown or has none.
    @Sendable func remarks(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let records = try await self.group(context)
        guard let remarks = records.compactMap(\.remarks).first else { throw ServiceError.cmiNotFound }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: remarks)))
    }

    /// "Works only for phone calls, which don't yet have remarks in operative database. Agent needs to be the
    /// responsible user for the contact." (seed L1710–L1720)
    @Sendable func addRemarks(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let text = try await Self.plainText(request)
        let records = try await self.group(context)
        guard records.allSatisfy({ $0.contact.channel == .phone }) else {
            throw ServiceError(.badRequest, message: "Remarks can be added only to phone calls")
        }
        guard records.allSatisfy({ $0.remarks == nil }) else { throw ServiceError(.conflict, message: "The contact already has remarks") }
        try Self.requireResponsible(records, context: context)
        try await self.contacts.setRemarks(text, contactGroupId: records[0].contact.contactGroupId)
        return CMIResponses.noContent
    }

    /// "Contact must exist in operative database. Agent needs to be the responsible user for the contact." (L1721–L1731)
    @Sendable func updateRemarks(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let text = try await Self.plainText(request)
        let records = try await self.group(context)
        guard records.contains(where: { $0.remarks != nil }) else { throw ServiceError.cmiNotFound }
        try Self.requireResponsible(records, context: context)
        try await self.contacts.setRemarks(text, contactGroupId: records[0].contact.contactGroupId)
        return CMIResponses.noContent
    }

    /// The contacts of the group the path names ("contactId must be contactGroupId").
    private func group(_ context: AuthenticatedContext) async throws -> [CMIContactRecord] {
        let groupID = try CMIIdentifier.contactGroup(try context.parameters.require("contactId"))
        let records = try await self.contacts.records(contactGroupId: groupID)
        guard !records.isEmpty else { throw ServiceError.cmiNotFound }
        return records
    }

    /// The responsible user is the agent of the group's latest contact.
    static func requireResponsible(_ records: [CMIContactRecord], context: AuthenticatedContext) throws {
        guard let agent = records[0].contact.agentId, agent == context.identity.principalID.uppercased() else {
            throw ServiceError(.forbidden, message: "Only the responsible agent may change the remarks")
        }
    }

    /// Remarks are at most 64 KiB of UTF-8 text (413 above, 400 for bytes that are not text or hold a NUL, which
    /// PostgreSQL cannot store).
    static func plainText(_ request: Request) async throws -> String {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "text/plain" else { throw ServiceError(.unsupportedMediaType, message: "HTTP 415 Unsupported Media Type") }
        let buffer = try await request.collectBody(atMost: 64 * 1024)
        guard let text = buffer.withUnsafeReadableBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw ServiceError(.badRequest, message: "The remarks are not valid UTF-8 text.")
        }
        guard !text.utf8.contains(0) else { throw ServiceError(.badRequest, message: "The remarks must not contain a NUL character.") }
        return text
    }

    /// The search from the query string, with every value checked.
    static func query(_ parameters: CMIQuery) throws -> ContactQuery {
        var query = ContactQuery()
        query.addresses = Self.list(parameters.string("search")).map(CMIFieldSearch.likePattern)
        query.startTime = try parameters.string("startTime").map { try CMITime.bound($0, field: "startTime") }
        query.endTime = try parameters.string("endTime").map { try CMITime.bound($0, field: "endTime") }
        query.subject = Self.fullText(parameters.string("subject"))
        query.body = Self.fullText(parameters.string("body"))
        query.remarks = Self.fullText(parameters.string("remarks"))
        query.caseId = parameters.string("caseId")
        query.agentIds = try Self.list(parameters.string("agentId")).map(CMIIdentifier.guid)
        query.queueIds = try Self.list(parameters.string("queueId")).map(CMIIdentifier.guid)
        query.contactGroupIds = try Self.list(parameters.string("contactGroupId")).map(CMIIdentifier.contactGroup)
        let search = try CMIFieldSearch(query: parameters, searchable: Set(ContactSQLRepository.columns.keys), documented: Self.documented)
        query.fields = search.patterns.compactMap { field, like in ContactSQLRepository.columns[field].map { ($0, like) } }
        if let sort = parameters.string("sort") {
            // `-field` descends; a `,LOCALE-xx` suffix names a collation, which the stores' own ordering stands in for.
            // `omittingEmptySubsequences: false` keeps `sort=,x` from leaving no first piece at all.
            var field = String(sort.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0])
            query.descending = field.hasPrefix("-")
            if query.descending { field.removeFirst() }
            guard let column = ContactSQLRepository.columns[field] else {
                throw ServiceError(.badRequest, message: "Invalid value for sort: \(sort)", field: "sort")
            }
            query.sortColumn = column
        }
        query.limit = try parameters.limit()
        return query
    }

    static func list(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A quoted value is one phrase; otherwise every word must occur.
    static func fullText(_ value: String?) -> [String] {
        guard let value else { return [] }
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count > 1 { return [String(value.dropFirst().dropLast())] }
        return value.split(separator: " ").map(String.init)
    }

    static func flag(_ parameters: CMIQuery, _ name: String) throws -> Bool {
        switch parameters.string(name)?.lowercased() {
        case nil, "false": return false
        case "true": return true
        case let other?: throw ServiceError(.badRequest, message: "Invalid value for \(name): \(other)", field: name)
        }
    }

    static func translated(_ contact: CMIContact, to language: String?) -> CMIContact {
        var contact = contact
        contact.typeDetails = CMITranslations.translate(contact.typeDetails, to: language)
        contact.statusDetails = CMITranslations.translate(contact.statusDetails, to: language)
        return contact
    }
}
