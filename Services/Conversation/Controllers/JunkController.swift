import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension AnytimeBlockedSender: ResponseEncodable {}
extension AnytimeJunk: ResponseEncodable {}
extension AnytimeJunkPage: ResponseEncodable {}
extension AnytimeInboundResult: ResponseEncodable {}

/// `/api/v3/anytime/blockedSenders`, `/junks` and the `/inboundEmails` extension (seed 000 L1305–L1407; spec §3.15–§3.16,
/// §5.19; decisions 234–237): mail from a blocked sender becomes junk or is refused; junk can become a conversation.
struct JunkController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let blocked = api.tagged("Blocked senders")
        let errors = [400: "Invalid parameter", 404: "Not found"]
        blocked.get(
            "/blockedSenders", "List blocked senders, by value", returns: [AnytimeBlockedSender].self,
            query: [QueryParameter("value", "Only values containing this, any case")], errors: errors, use: self.listBlocked)
        blocked.get("/blockedSenders/{id}", "Get a blocked sender", returns: AnytimeBlockedSender.self, errors: errors, use: self.getBlocked)
        blocked.put(
            "/blockedSenders", "Block an email address or domain, or change how a blocked value is blocked", body: AnytimeBlockedSenderInput.self,
            returns: AnytimeBlockedSender.self, errors: errors, use: self.block)
        blocked.delete(
            "/blockedSenders", "Unblock a value: in the query or a JSON body {\"value\": ...}", returns: EmptyBody.self, status: .noContent,
            query: [QueryParameter("value", "The blocked address or domain")], errors: errors, use: self.unblock)
        let junks = api.tagged("Junk")
        junks.get(
            "/junks", "List junk emails (50 a page, newest first)", returns: AnytimeJunkPage.self,
            query: [
                QueryParameter("keywords", "Matched in the subject and the contents' text, any case"),
                QueryParameter("timeFrom", "On the junk's time; no bound by default"),
                QueryParameter("timeTo", "On the junk's time; no bound by default"),
                QueryParameter("timeZoneOffset", "Hours east of UTC for times without a zone"),
                QueryParameter("pageIndex", "From 1; 50 a page", .integer),
            ], errors: errors, use: self.list)
        junks.get("/junks/{id}", "Get a junk email", returns: AnytimeJunk.self, errors: errors, use: self.get)
        junks.put(
            "/junks/{id}", "Mark a junk email read or unread", body: AnytimeJunkUpdate.self, returns: AnytimeJunk.self, errors: errors,
            use: self.update)
        junks.post(
            "/junks/{id}/notJunk", "Restore a junk email as a new conversation (the junk goes, the block stays)", returns: AnytimeConversation.self,
            errors: errors, use: self.notJunk)
        junks.delete("/junks/{id}", "Delete a junk email", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
        api.tagged("Junk", isExtension: true).post(
            "/inboundEmails", "Take in an email a contact sent: a new conversation, junk when the sender is blocked as junk, 422 when refused",
            body: AnytimeInboundEmail.self, returns: AnytimeInboundResult.self, status: .created,
            errors: [400: "Invalid email", 422: "The sender is blocked: the email is refused"], use: self.receive)
    }

    // MARK: Blocked senders

    @Sendable func listBlocked(_ request: Request, context: AuthenticatedContext) async throws -> [AnytimeBlockedSender] {
        struct Parameters: Decodable { var value: String? }
        let site = context.site
        let text = try request.decodeQuery(as: Parameters.self).value?.trimmingCharacters(in: .whitespaces)
        let value = try text.flatMap { $0.isEmpty ? nil : try AnytimeLimits.bounded($0, "value", limit: BlockedSenderRules.addressLimit) }
        return try await self.store.read { tx in try await tx.settings.blockedSenders(site: site, containing: value).map(\.wire) }
    }

    @Sendable func getBlocked(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeBlockedSender {
        let (site, id) = (context.site, try context.parameters.require("id"))
        return try await self.store.read { tx in
            guard let row = try await tx.settings.blockedSender(id: id, site: site) else { throw ServiceError.notFound("Blocked sender") }
            return row.wire
        }
    }

    /// Keyed by value in any case: the same value again changes its block type and keeps its id (spec §5.19).
    @Sendable func block(_ request: Request, context: AuthenticatedContext, input: AnytimeBlockedSenderInput) async throws -> AnytimeBlockedSender {
        guard let type = input.blockType else { throw ServiceError.missing("blockType") }
        let value = try BlockedSenderRules.value(input.value, type: type)
        let (site, now) = (context.site, self.store.now)
        return try await self.store.write(site: site, scope: "blockedSenders") { tx in
            if var row = try await tx.settings.blockedSenders(site: site, keys: [value.lowercased()]).first {
                (row.value, row.blockType) = (value, type.rawValue)
                try await tx.settings.save(row, replacing: true)
                return row.wire
            }
            let row = BlockedSenderRow(
                id: UUID().uuidString.lowercased(), siteId: site, value: value, valueKey: value.lowercased(), blockType: type.rawValue,
                createdTime: now)
            try await tx.settings.save(row, replacing: false)
            return row.wire
        }
    }

    /// By value, from the query or a JSON body (spec §6 G4); 404 when the value is not blocked.
    @Sendable func unblock(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        struct Parameters: Decodable { var value: String? }
        var value = try request.decodeQuery(as: Parameters.self).value
        let body = try await request.body.collect(upTo: context.maxBodySize)
        if value == nil, !String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            value = try JSONBody.decode(AnytimeBlockedSenderValue.self, from: body).value
        }
        guard let key = value?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), !key.isEmpty else { throw ServiceError.missing("value") }
        let site = context.site
        try await self.store.write(site: site, scope: "blockedSenders") { tx in
            guard let row = try await tx.settings.blockedSenders(site: site, keys: [key]).first else {
                throw ServiceError(.notFound, message: "Blocked sender not found: \(AnytimeLimits.shortened(key)).", field: "value")
            }
            try await tx.settings.deleteBlockedSender(id: row.id, site: site)
        }
        return EmptyBody()
    }

    // MARK: Junk

    struct ListParameters: Decodable {
        var keywords: String?
        var timeFrom: String?
        var timeTo: String?
        var timeZoneOffset: String?
        @QueryInteger var pageIndex: Int?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeJunkPage {
        let parameters = try request.decodeQuery(as: ListParameters.self)
        var offset = 0.0
        if let text = parameters.timeZoneOffset?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let hours = Double(text), (-14...14).contains(hours) else {
                throw ServiceError.invalid("timeZoneOffset", "Parameter 'timeZoneOffset' must be a number of hours between -14 and 14.")
            }
            offset = hours
        }
        func time(_ text: String?, _ member: String) throws -> Int64? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return try AnytimeTime.parse(text, member: member, offsetHours: offset)
        }
        let (from, to) = (try time(parameters.timeFrom, "timeFrom"), try time(parameters.timeTo, "timeTo"))
        if let from, let to, from > to { throw ServiceError.invalid("timeFrom", "Parameter 'timeFrom' must not be after 'timeTo'.") }
        let keywords = (parameters.keywords ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard keywords.count <= AnytimeLimits.subject else {
            throw ServiceError.invalid("keywords", "Parameter 'keywords' may hold at most \(AnytimeLimits.subject) characters.")
        }
        let pageIndex = parameters.pageIndex ?? 1
        guard (1...ListQuery.Limits().maxIndex).contains(pageIndex) else {
            throw ServiceError.invalid("pageIndex", "Parameter 'pageIndex' must be between 1 and \(ListQuery.Limits().maxIndex).")
        }
        let search = JunkSearch(site: context.site, keywords: keywords.isEmpty ? nil : keywords, from: from, to: to)
        let query = ListQuery(
            pageIndex: pageIndex, pageSize: ConversationController.pageSize,
            sort: [.init(SQLColumn("time", table: "conversation_junks"), .descending)])
        let (total, junks) = try await self.store.read { tx in
            let found = try await tx.settings.junks(search, query)
            let contents = try await tx.settings.junkContents(of: found.rows.map(\.id))
            return (found.total, found.rows.map { $0.wire(contents: contents[$0.id] ?? []) })
        }
        let links = ConversationController.links(request: request, pageIndex: pageIndex, total: total)
        return AnytimeJunkPage(junks: junks, total: total, previousPage: links.previous, nextPage: links.next, currentPage: links.current)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeJunk {
        let (site, id) = (context.site, try context.parameters.require("id"))
        return try await self.store.read { tx in try await Self.junk(id, site: site, tx: tx) }
    }

    /// Only `isRead` changes (spec §5.19); left out, nothing does.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeJunkUpdate) async throws -> AnytimeJunk {
        let (site, id) = (context.site, try context.parameters.require("id"))
        return try await self.store.write { tx in
            var junk = try await Self.junk(id, site: site, tx: tx)
            if let isRead = input.isRead, isRead != junk.isRead {
                try await tx.settings.setRead(isRead, junk: id, site: site)
                junk.isRead = isRead
            }
            return junk
        }
    }

    /// The junk becomes a conversation (its first message received from the contact) and is deleted; the block stays.
    @Sendable func notJunk(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeConversation {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        let staff = try await self.store.staff(site: site)
        return try await self.store.write { tx in
            guard id.count <= AnytimeLimits.id, let row = try await tx.settings.junk(id: id, site: site) else { throw ServiceError.notFound("Junk") }
            let contents = try await tx.settings.junkContents(of: [id])[id] ?? []
            try await tx.settings.deleteJunk(id: id, site: site)
            return try await InboundMail(junk: row, contents: contents).openConversation(site: site, staff: staff, now: now, tx: tx)
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        try await self.store.write { tx in
            _ = try await Self.junk(id, site: site, tx: tx)
            try await tx.settings.deleteJunk(id: id, site: site)
        }
        return EmptyBody()
    }

    static func junk(_ id: String, site: String, tx: Tx) async throws -> AnytimeJunk {
        guard id.count <= AnytimeLimits.id, let row = try await tx.settings.junk(id: id, site: site) else { throw ServiceError.notFound("Junk") }
        return row.wire(contents: try await tx.settings.junkContents(of: [id])[id] ?? [])
    }

    // MARK: Inbound email

    /// The blocked-sender check of the new-conversation pipeline (spec §5.25 step 2): a junk rule keeps the email as
    /// junk, a reject rule refuses it (422 naming `from`, nothing stored), otherwise it opens a conversation.
    @Sendable func receive(_ request: Request, context: AuthenticatedContext, input: AnytimeInboundEmail) async throws -> AnytimeInboundResult {
        let (site, now) = (context.site, self.store.now)
        let mail = try InboundMail(input, now: now)
        let staff = try await self.store.staff(site: site)
        return try await self.store.write { tx in
            switch try await BlockedSenderRules.rule(for: mail.address, site: site, tx: tx)?.type {
            case .rejectEmail?, .rejectDomain?:
                throw ServiceError(.unprocessableContent, message: "The sender '\(mail.address)' is blocked: the email is refused.", field: "from")
            case .blockEmailasJunk?, .blockDomainasJunk?:
                let junk = mail.junk(site: site)
                try await tx.settings.insert(junk, contents: mail.contents)
                return AnytimeInboundResult(conversation: nil, junk: junk.wire(contents: mail.contents))
            case nil:
                return AnytimeInboundResult(conversation: try await mail.openConversation(site: site, staff: staff, now: now, tx: tx), junk: nil)
            }
        }
    }
}
