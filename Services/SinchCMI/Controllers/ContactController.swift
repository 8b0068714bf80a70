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
        api.raw(.post, "/contacts/{contactId}/remarks", "Add remarks (text/plain) to a phone call that has none", responses: remarks) {
            try await self.storeRemarks($0, context: $1, adding: true)
        }
        api.raw(.put, "/contacts/{contactId}/remarks", "Update the remarks (text/plain) of a contact", responses: remarks) {
            try await self.storeRemarks($0, context: $1, adding: false)
        }
    }

    /// `GET /contacts`'s own parameters; any other must be a searchable field.
    struct Query: Decodable {
        var search, subject, body, remarks, caseId, agentId, queueId, contactGroupId, language, sort: String?
        var startTime, endTime: CMITimeBound?
        var pickable, statistics: CMIFlag?
        var limit: CMILimit?
    }

    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIContact] {
        let parameters = try request.decodeQuery(as: Query.self)
        var query = try Self.query(parameters, request: request)
        // Without both rights nothing is pickable; with them, pickability is one more predicate of the query.
        if parameters.pickable?.value == true {
            guard context.identity.permissions.isSuperset(of: ["STATISTICS_DETAILS", "SERVE"]) else { return [] }
            query.pickableBy = context.identity.principalID
        }
        let now = self.clock.date()
        let records = try await self.database.read { [query] in try await $0.contacts.records(matching: query, now: now) }
        return records.map {
            let contact = ContactStatistics.apply(to: $0, statistics: parameters.statistics?.value == true, now: now)
            return CMITranslations.translated(contact, to: context.language(parameters.language))
        }
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIContact {
        let (id, parameters) = (try context.guid("contactId"), try request.decodeQuery(as: CMILanguageQuery.self))
        let record = try await self.database.found { try await $0.contacts.record(id: id) }
        let contact = ContactStatistics.apply(to: record, statistics: parameters.statistics?.value == true, now: self.clock.date())
        return CMITranslations.translated(contact, to: context.language(parameters.language))
    }

    /// The operative remarks of a contact group, as plain text; 404 when the group is unknown or has none.
    @Sendable func remarks(_ request: Request, context: CMIContext) async throws -> Response {
        let records = try await self.database.read { try await Self.group($0, context) }
        guard let remarks = records.compactMap(\.remarks).first else { throw ServiceError.cmiNotFound }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: remarks)))
    }

    /// POST adds remarks: "Works only for phone calls, which don't yet have remarks in operative database." (seed
    /// L1710–L1720); PUT changes them: "Contact must exist in operative database." (L1721–L1731). Either way "Agent
    /// needs to be the responsible user for the contact": the agent of the group's latest contact.
    func storeRemarks(_ request: Request, context: CMIContext, adding: Bool) async throws -> Response {
        let text = try await Self.plainText(request)
        return try await self.database.transaction { tx in
            let records = try await Self.group(tx, context)
            if adding {
                guard records.allSatisfy({ $0.contact.channel == .phone }) else {
                    throw ServiceError(.badRequest, message: "Remarks can be added only to phone calls")
                }
                guard records.allSatisfy({ $0.remarks == nil }) else { throw ServiceError(.conflict, message: "The contact already has remarks") }
            } else {
                guard records.contains(where: { $0.remarks != nil }) else { throw ServiceError.cmiNotFound }
            }
            guard let agent = records[0].contact.agentId, agent == context.identity.principalID.uppercased() else {
                throw ServiceError(.forbidden, message: "Only the responsible agent may change the remarks")
            }
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
        (query.startTime, query.endTime, query.caseId, query.limit) = (
            parameters.startTime?.value, parameters.endTime?.value, parameters.caseId.nonEmpty, parameters.limit?.value
        )
        (query.subject, query.body, query.remarks) = (
            Self.fullText(parameters.subject), Self.fullText(parameters.body), Self.fullText(parameters.remarks)
        )
        query.agentIds = try Self.list(parameters.agentId).map(CMIIdentifier.guid)
        query.queueIds = try Self.list(parameters.queueId).map(CMIIdentifier.guid)
        query.contactGroupIds = try Self.list(parameters.contactGroupId).map(CMIIdentifier.contactGroup)
        query.fields = try CMIFieldSearch(request, searchable: ContactSQLRepository.searchable.keys, documented: parameters)
        if let sort = parameters.sort.nonEmpty {
            // `-field` descends. A `,LOCALE-xx` suffix names a collation: the database's own ordering stands in for it.
            // `omittingEmptySubsequences: false` keeps `sort=,x` from leaving no first piece at all.
            let field = String(sort.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0])
            let descending = field.hasPrefix("-")
            query.sort = (descending ? String(field.dropFirst()) : field, descending)
            guard ContactSQLRepository.sortable(now: 0)[query.sort.field] != nil else { throw ServiceError.cmiInvalid("sort", sort) }
        }
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
