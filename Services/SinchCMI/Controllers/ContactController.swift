import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

/// `/RI/cmi/contacts`: every phone call, chat and email, searchable; and the operative remarks of a contact
/// group (seed L1415–L1731).
struct ContactController {
    let database: Database
    let clock: WallClock

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("contacts")
        let remarks = [204: "Stored", 403: "Not the responsible agent", 409: "Remarks exist", 415: "Unsupported Media Type"]
        api.get("/contacts", "Search contacts of every channel", returns: [CMIContact].self, use: self.list)
        api.get("/contacts/{contactId}", "One contact", returns: CMIContact.self, use: self.get)
        api.raw(
            .get, "/contacts/{contactId}/remarks", "The remarks of a contact group (text/plain)", responses: [200: "The remarks"], use: self.remarks)
        api.raw(
            .post, "/contacts/{contactId}/remarks", "Add remarks (text/plain) to a phone call that has none", responses: remarks, use: self.addRemarks
        )
        api.raw(.put, "/contacts/{contactId}/remarks", "Update the remarks (text/plain) of a contact", responses: remarks, use: self.updateRemarks)
    }

    /// `GET /contacts`'s own parameters; any other must be a searchable field.
    struct Query: Decodable {
        var search, subject, body, remarks, caseId, agentId, queueId, contactGroupId, language, sort: String?
        var startTime, endTime: CMITimeBound?
        var pickable, statistics: CMIFlag?
        var limit: CMILimit?
    }

    static let documented: Set<String> = [
        "search", "startTime", "endTime", "subject", "body", "remarks", "caseId", "agentId", "queueId", "contactGroupId", "pickable", "statistics",
        "language", "sort", "limit",
    ]

    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIContact] {
        let parameters = try request.cmiQuery(Query.self)
        var query = try Self.query(parameters, request: request)
        // Without both rights nothing is pickable; with them, pickability is one more predicate of the query.
        if parameters.pickable?.value == true {
            guard context.identity.permissions.isSuperset(of: ["STATISTICS_DETAILS", "SERVE"]) else { return [] }
            query.pickableBy = context.identity.principalID
        }
        let now = self.clock.date()
        let records = try await self.database.read { [query] in try await $0.contacts.records(matching: query, now: now) }
        let language = CMITranslations.language(query: parameters.language, user: context.identity.language)
        return records.map {
            CMITranslations.translated(ContactStatistics.apply(to: $0, statistics: parameters.statistics?.value == true, now: now), to: language)
        }
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIContact {
        let id = try context.guid("contactId")
        let parameters = try request.cmiQuery(CMILanguageQuery.self)
        guard let record = try await self.database.read({ try await $0.contacts.record(id: id) }) else { throw ServiceError.cmiNotFound }
        let contact = ContactStatistics.apply(to: record, statistics: parameters.statistics?.value == true, now: self.clock.date())
        return CMITranslations.translated(contact, to: CMITranslations.language(query: parameters.language, user: context.identity.language))
    }

    /// The operative remarks of a contact group, as plain text; 404 when the group is unknown or has none.
    @Sendable func remarks(_ request: Request, context: CMIContext) async throws -> Response {
        let records = try await self.database.read { try await Self.group($0, context) }
        guard let remarks = records.compactMap(\.remarks).first else { throw ServiceError.cmiNotFound }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: remarks)))
    }

    /// "Works only for phone calls, which don't yet have remarks in operative database. Agent needs to be the
    /// responsible user for the contact." (seed L1710–L1720)
    @Sendable func addRemarks(_ request: Request, context: CMIContext) async throws -> Response {
        let text = try await Self.plainText(request)
        return try await self.database.transaction { tx in
            let records = try await Self.group(tx, context)
            guard records.allSatisfy({ $0.contact.channel == .phone }) else {
                throw ServiceError(.badRequest, message: "Remarks can be added only to phone calls")
            }
            guard records.allSatisfy({ $0.remarks == nil }) else { throw ServiceError(.conflict, message: "The contact already has remarks") }
            try Self.requireResponsible(records, context: context)
            try await tx.contacts.setRemarks(text, contactGroupId: records[0].contact.contactGroupId)
            return Response(status: .noContent)
        }
    }

    /// "Contact must exist in operative database. Agent needs to be the responsible user for the contact." (L1721–L1731)
    @Sendable func updateRemarks(_ request: Request, context: CMIContext) async throws -> Response {
        let text = try await Self.plainText(request)
        return try await self.database.transaction { tx in
            let records = try await Self.group(tx, context)
            guard records.contains(where: { $0.remarks != nil }) else { throw ServiceError.cmiNotFound }
            try Self.requireResponsible(records, context: context)
            try await tx.contacts.setRemarks(text, contactGroupId: records[0].contact.contactGroupId)
            return Response(status: .noContent)
        }
    }

    /// The contacts of the group the path names ("contactId must be contactGroupId").
    static func group(_ tx: Tx, _ context: CMIContext) async throws -> [CMIContactRecord] {
        let records = try await tx.contacts.records(contactGroupId: try CMIIdentifier.contactGroup(try context.parameters.require("contactId")))
        guard !records.isEmpty else { throw ServiceError.cmiNotFound }
        return records
    }

    /// The responsible user is the agent of the group's latest contact.
    static func requireResponsible(_ records: [CMIContactRecord], context: CMIContext) throws {
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
    static func query(_ parameters: Query, request: Request) throws -> ContactQuery {
        var query = ContactQuery()
        query.addresses = Self.list(parameters.search).map(CMIFieldSearch.likePattern)
        (query.startTime, query.endTime) = (parameters.startTime?.value, parameters.endTime?.value)
        (query.subject, query.body, query.remarks) = (
            Self.fullText(parameters.subject), Self.fullText(parameters.body), Self.fullText(parameters.remarks)
        )
        query.caseId = parameters.caseId.nonEmpty
        query.agentIds = try Self.list(parameters.agentId).map(CMIIdentifier.guid)
        query.queueIds = try Self.list(parameters.queueId).map(CMIIdentifier.guid)
        query.contactGroupIds = try Self.list(parameters.contactGroupId).map(CMIIdentifier.contactGroup)
        query.fields = try CMIFieldSearch(request, searchable: ContactSQLRepository.searchable.keys, documented: Self.documented)
        if let sort = parameters.sort.nonEmpty {
            // `-field` descends. A `,LOCALE-xx` suffix names a collation: the database's own ordering stands in for it.
            // `omittingEmptySubsequences: false` keeps `sort=,x` from leaving no first piece at all.
            var field = String(sort.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0])
            let descending = field.hasPrefix("-")
            if descending { field.removeFirst() }
            guard ContactSQLRepository.sortable(now: 0)[field] != nil else {
                throw ServiceError(.badRequest, message: "Invalid value for sort: \(sort)", field: "sort")
            }
            query.sort = (field, descending)
        }
        query.limit = parameters.limit?.value
        return query
    }

    static func list(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A quoted value is one phrase; otherwise every word must occur.
    static func fullText(_ value: String?) -> [String] {
        guard let value = value.nonEmpty else { return [] }
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count > 1 { return [String(value.dropFirst().dropLast())] }
        return value.split(separator: " ").map(String.init)
    }
}
