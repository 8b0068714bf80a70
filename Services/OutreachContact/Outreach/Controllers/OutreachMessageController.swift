import Foundation
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension Comm100OutreachMessage: ResponseEncodable {}
extension Comm100OutreachMessagePage: ResponseEncodable {}
extension Comm100OutreachMessageList: ResponseEncodable {}

/// `/outreach/messages` and `/outreach/unattachedMessages` (seed 002 L389–L659; spec §5.2–§5.3, §5.6).
struct OutreachMessageController {
    let database: Database
    let accounts: ChannelAccountStore
    let callbacks: OutreachCallbacks
    let clock: WallClock

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Outreach messages")
        let errors = [400: "Invalid message or parameter", 403: "Missing permission \(OutreachPermission.outreach)", 404: "Not found"]
        api.get(
            "/messages", "List messages", returns: Comm100OutreachMessagePage.self,
            query: [
                QueryParameter("channel", "sms"), QueryParameter("channelAccountId", "A channel account's id"),
                QueryParameter("contactId", "A contact's id"), QueryParameter("campaignId", "A campaign's id"),
                QueryParameter("campaignRecordId", "A send's record id"), QueryParameter("attachedToTicketId", "A ticket's id"),
                QueryParameter("sentTime", "A date (that UTC day) or a date and time (then or later)"),
                QueryParameter("status", "Statuses, comma-separated (extension)"),
                QueryParameter("keywords", "Matched in from, to, the campaign's name and the contact's name, any case"),
                QueryParameter("pageIndex", "From 1", .integer), QueryParameter("pageSize", "10 by default, 0 for all, at most 500", .integer),
                QueryParameter("sortBy", "sentTime (default), campaignSentTime, status, from, to, contactId, campaignId or id"),
                QueryParameter("sortOrder", "asc (default) or desc"),
            ], errors: errors, use: self.list)
        api.get(
            "/unattachedMessages", "A contact's messages to attach to a ticket when it replies, oldest first",
            returns: Comm100OutreachMessageList.self, query: [QueryParameter("contactId", "The contact's id", required: true)], errors: errors,
            use: self.unattached)
        api.get("/messages/{id}", "Get a message", returns: Comm100OutreachMessage.self, errors: errors, use: self.get)
        api.post(
            "/messages", "Record a message (nothing is sent)", body: Comm100OutreachMessageInput.self, returns: Comm100OutreachMessage.self,
            status: .created, errors: errors, use: self.create)
        api.put(
            "/messages/{id}", "Update a message (any status: an administrative override); a change of status or ticket sends its callback",
            body: Comm100OutreachMessageInput.self, returns: Comm100OutreachMessage.self, errors: errors, use: self.update)
    }

    /// The list's query parameters.
    struct ListParameters: Decodable {
        var channel: String?
        var channelAccountId: String?
        var contactId: String?
        var campaignId: String?
        var campaignRecordId: String?
        var attachedToTicketId: String?
        var sentTime: String?
        var status: String?
        var keywords: String?
        @QueryInteger var pageIndex: Int?
        @QueryInteger var pageSize: Int?
        var sortBy: String?
        var sortOrder: String?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachMessagePage {
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let paging = try ContactPaging(
            pageIndex: parameters.pageIndex, pageSize: parameters.pageSize, sortBy: parameters.sortBy, sortOrder: parameters.sortOrder)
        var search = OutreachMessageSearch(site: context.site)
        let given = { (text: String?) in text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        if let channel = given(parameters.channel) {
            search.channel = try OutreachEnums.value(channel, of: OutreachEnums.channels, member: "channel")
        }
        search.channelAccountId = try given(parameters.channelAccountId).map { try OutreachEnums.guid($0, member: "channelAccountId") }
        search.contactId = try given(parameters.contactId).map { try OutreachEnums.guid($0, member: "contactId") }
        search.campaignId = try given(parameters.campaignId).map { try OutreachEnums.guid($0, member: "campaignId") }
        search.campaignRecordId = try given(parameters.campaignRecordId).map { try OutreachEnums.guid($0, member: "campaignRecordId") }
        search.attachedToTicketId = given(parameters.attachedToTicketId)?.trimmingCharacters(in: .whitespaces)
        if let text = given(parameters.sentTime) {
            guard let time = ContactTime.parse(text) else {
                throw ServiceError.invalid(
                    "sentTime", "Parameter 'sentTime' must be a date or a date and time, not '\(FieldValues.shortened(text))'.")
            }
            search.sentTime = time.isDateOnly ? (time.milliseconds, time.milliseconds + ContactTime.dayMilliseconds) : (time.milliseconds, nil)
        }
        if let text = given(parameters.status) {
            search.statuses = try text.split(separator: ",").map { part in
                guard let status = MessageStatus(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ServiceError.invalid(
                        "status",
                        "Parameter 'status' must list \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(FieldValues.shortened(String(part)))'."
                    )
                }
                return status
            }
        }
        search.keywords = ContactController.keywords(parameters.keywords)
        let column = { (name: String) in SQLColumn(name, table: "outreach_messages") }
        let sortable: [String: any SQLExpression] = [
            "sentTime": column("sent_time"), "campaignSentTime": column("campaign_sent_time"), "status": column("status"),
            "from": column("from_key"), "to": column("to_key"), "contactId": column("contact_id"), "campaignId": column("campaign_id"),
            "id": column("id"),
        ]
        // Unlike campaigns (seed L78: 0 is all), messages have no "all": a site's messages grow by an audience a send.
        guard paging.pageSize > 0 else { throw ServiceError.invalid("pageSize", "Parameter 'pageSize' must be between 1 and 500.") }
        let query = try OutreachPaging.listQuery(paging, sortable: sortable, defaultSort: column("sent_time"))
        let found = try await self.database.read { [search] tx in try await tx.outreachMessages.page(search, query) }
        let links = OutreachPaging.links(paging, total: found.total, request: request)
        return Comm100OutreachMessagePage(
            messages: found.messages.map(\.wire), previousPage: links.previous, nextPage: links.next, total: found.total)
    }

    /// The seed's "Outreach Message that needs to be attached by unichannel" (L22): membership per spec §5.6.
    @Sendable func unattached(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachMessageList {
        struct Parameters: Decodable { var contactId: String? }
        guard let text = try request.decodeQuery(as: Parameters.self).contactId, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError.missing("contactId")
        }
        let (site, contact) = (context.site, try OutreachEnums.guid(text, member: "contactId"))
        let messages = try await self.database.read { tx in try await tx.outreachMessages.unattached(contactId: contact, site: site) }
        return Comm100OutreachMessageList(messages: messages.map(\.wire))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachMessage {
        let (site, id) = (context.site, try context.guid())
        guard let message = try await self.database.read({ tx in try await tx.outreachMessages.message(id: id, site: site) }) else {
            throw ServiceError.notFound("Message")
        }
        return message.wire
    }

    @Sendable func create(
        _ request: Request, context: AuthenticatedContext, input: Comm100OutreachMessageInput
    ) async throws
        -> Comm100OutreachMessage
    {
        try context.require(permission: OutreachPermission.outreach)
        let (site, now) = (context.site, self.clock.milliseconds())
        return try await self.database.transaction { tx in
            let message = try OutreachMessageRules().created(input, id: ContactIDs.make(), now: now)
            try await self.check(message, site: site, tx: tx)
            try await tx.outreachMessages.insert([message], site: site)
            // Recorded as already sent: it is attached as if it had just been sent (spec §5.6).
            try await TicketAutoAttach.armIfDue(message, previous: .queued, site: site, in: tx)
            return message.wire
        }
    }

    @Sendable func update(
        _ request: Request, context: AuthenticatedContext, input: Comm100OutreachMessageInput
    ) async throws
        -> Comm100OutreachMessage
    {
        try context.require(permission: OutreachPermission.outreach)
        let (site, id) = (context.site, try context.guid())
        return try await self.database.transaction { tx in
            guard let current = try await tx.outreachMessages.message(id: id, site: site, locked: true) else {
                throw ServiceError.notFound("Message")
            }
            let message = try OutreachMessageRules().updated(input, current: current)
            if message.channelAccountId != current.channelAccountId { try await self.check(message, site: site, tx: tx) }
            try await tx.outreachMessages.update(message, site: site)
            if message.status != current.status || message.attachedToTicketId != current.attachedToTicketId {
                try await self.callbacks.enqueue(message, site: site, in: tx)
            }
            try await TicketAutoAttach.armIfDue(message, previous: current.status, site: site, in: tx)
            return message.wire
        }
    }

    /// 400 naming `channelAccountId` unless it is one of the site's channel accounts.
    func check(_ message: OutreachMessageRecord, site: String, tx: Tx) async throws {
        guard let id = UUID(uuidString: message.channelAccountId), try await self.accounts.channelAccount(id: id, site: site, in: tx) != nil else {
            throw ServiceError.invalid(
                "channelAccountId", "Field 'channelAccountId' names no channel account of this site: '\(message.channelAccountId)'.")
        }
    }
}
