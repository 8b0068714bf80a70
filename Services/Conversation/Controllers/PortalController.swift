import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

extension AnytimePortalConversation: ResponseEncodable {}
extension AnytimePortalMessage: ResponseEncodable {}

/// `/portalConversations` (seed 000 L549–L678; spec §5.12, §6 P1–P6; decision 263): the contact's side of the same
/// conversation record, called by the portal on the contact's behalf. A `contactId` that is not the conversation's
/// contact is a 404; notes and everything internal stay out.
struct PortalController {
    let store: ConversationStore
    let attachments: AttachmentSettings
    /// How many conversations a list answers at most (the seed's list is not paged).
    static let listLimit = 500
    /// How many contacts one list may name.
    static let contactLimit = 100
    static let channel = "helpDesk"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Portal conversations")
        let errors = [400: "Invalid request", 404: "No such portal conversation (or not this contact's)"]
        let contact = QueryParameter("contactId", "The contact acting: it must be the conversation's")
        api.get(
            "/portalConversations/{id}", "Get a portal conversation", returns: AnytimePortalConversation.self,
            query: [contact, QueryParameter("include", "contact, messages")], errors: errors, use: self.get)
        api.get(
            "/portalConversations", "The conversations of the contacts named, newest first (not paged: at most \(Self.listLimit))",
            returns: [AnytimePortalConversation].self,
            query: [
                QueryParameter("contactIds", "A contact's id; repeated for each (at most \(Self.contactLimit))", required: true),
                QueryParameter("include", "contact"),
            ], errors: errors, use: self.list)
        api.post(
            "/portalConversations", "Submit a portal conversation for a contact", body: AnytimePortalConversationInput.self,
            returns: AnytimePortalConversation.self, status: .created, errors: errors, use: self.submit)
        for (verb, closing) in [("close", true), ("reopen", false)] {
            api.raw(
                .put, "/portalConversations/{id}/\(verb)", closing ? "The contact closes its conversation" : "The contact reopens its conversation",
                body: AnytimePortalContact.self, responses: [200: "The portal conversation"].merging(errors) { $1 }, query: [contact]
            ) { request, context in
                try await self.setClosed(closing, request: request, context: context).response(from: request, context: context)
            }
        }
        api.get(
            "/portalConversations/{id}/messages", "The messages of a portal conversation, oldest first (no notes)",
            returns: [AnytimePortalMessage].self, query: [contact, QueryParameter("include", "sender")], errors: errors, use: self.messages)
        api.post(
            "/portalConversations/{id}/messages", "The contact replies", body: AnytimePortalMessageInput.self, returns: AnytimePortalMessage.self,
            status: .created, errors: errors, use: self.reply)
        for (verb, read) in [("read", true), ("unread", false)] {
            api.raw(
                .put, "/portalConversations/{id}/\(verb)", read ? "The contact has read its conversation" : "The contact marks it unread",
                responses: [204: "Done"].merging(errors) { $1 }
            ) { _, context in
                let (site, id) = (context.site, try context.conversationId())
                try await self.store.write(locking: [id]) { tx in
                    guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else {
                        throw ServiceError.notFound("Portal conversation")
                    }
                    row.isReadByContact = read
                    try await tx.conversations.update(row)
                }
                return Response(status: .noContent)
            }
        }
    }

    struct Parameters: Decodable {
        var contactId: String?
        var include: String?
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimePortalConversation {
        let parameters = try request.decodeQuery(as: Parameters.self)
        let (includeContact, includeMessages) = try Self.include(parameters.include, allowed: ["contact", "messages"])
        let (site, id) = (context.site, try context.conversationId())
        let contactId = try AnytimeLimits.id(parameters.contactId, "contactId")
        var conversation = try await self.store.read { tx in
            let row = try await Self.owned(id, by: contactId, site: site, tx: tx)
            var conversation = try await Self.portal([row], tx: tx)[0]
            if includeMessages { conversation.messages = Self.portal(try await tx.conversations.messages(of: id).filter { $0.type == .message }) }
            return conversation
        }
        if includeContact { conversation = try await self.withContacts([conversation], site: site)[0] }
        return conversation
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [AnytimePortalConversation] {
        // `contactIds` repeats (L613: `contactIds=1&contactIds=2`), which the query decoder refuses for one member.
        let query = request.uri.queryParameters
        let (includeContact, _) = try Self.include(query.getAll("include").map { String($0) }.joined(separator: ","), allowed: ["contact"])
        let ids = try query.getAll("contactIds").compactMap { try AnytimeLimits.id(String($0), "contactIds") }
        guard !ids.isEmpty else { throw ServiceError.missing("contactIds") }
        guard ids.count <= Self.contactLimit else {
            throw ServiceError.invalid("contactIds", "Parameter 'contactIds' may name at most \(Self.contactLimit) contacts.")
        }
        let site = context.site
        let conversations = try await self.store.read { tx in
            try await Self.portal(try await tx.conversations.portalConversations(of: ids, site: site, limit: Self.listLimit), tx: tx)
        }
        return includeContact ? try await self.withContacts(conversations, site: site) : conversations
    }

    @Sendable func submit(
        _ request: Request, context: AuthenticatedContext, input: AnytimePortalConversationInput
    ) async throws
        -> AnytimePortalConversation
    {
        guard let subjectText = input.subject?.trimmingCharacters(in: .whitespacesAndNewlines), !subjectText.isEmpty else {
            throw ServiceError.missing("subject")
        }
        let subject = try AnytimeLimits.bounded(subjectText, "subject", limit: AnytimeLimits.subject)
        guard let contactId = try AnytimeLimits.id(input.contactId, "contactId") else { throw ServiceError.missing("contactId") }
        let channel = try AnytimeChannel.named(Self.channel, member: "channel")
        let contents = try ContentRules.contents(input.message?.contents, channel: channel, member: "message.contents", sending: false)
        let site = context.site
        // The contact must be one of the site's (outreach-contact owns them; down: 503 naming it).
        guard try await self.store.directory.contacts.contacts(ids: [contactId], site: site, fresh: true)[contactId] != nil else {
            throw ServiceError.invalid("contactId", "Field 'contactId' names no contact of this site: '\(AnytimeLimits.shortened(contactId))'.")
        }
        let now = self.store.now
        let staff = try await self.store.staff(site: site)
        return try await self.store.write { tx in
            var row = ConversationRow(
                id: 0, guid: UUID().uuidString.lowercased(), siteId: site, subject: subject, status: AnytimeStatus.new.rawValue,
                statusRank: AnytimeStatus.new.rank, priority: AnytimePriority.normal.rawValue, priorityRank: AnytimePriority.normal.rank,
                assignedAgentId: nil, assignedDepartmentId: nil, relatedType: AnytimeRelatedType.contact.rawValue, relatedId: contactId,
                originalId: nil, channelId: channel.id, isRead: false, isReadByContact: true, isDeleted: false, createdById: contactId,
                createdByType: AnytimeActorType.contact.rawValue, createdTime: now, lastActivityTime: now, lastStatusChangeTime: now,
                lastRepliedTime: now, lastRepliedById: contactId, lastRepliedByType: AnytimeActorType.contact.rawValue, slaPolicyId: nil,
                firstRespondBreachAt: nil, nextRespondBreachAt: nil, resolveBreachAt: nil, nextSlaBreach: nil)
            row.id = try await tx.conversations.insert(row)
            try await CustomFieldValues.apply(input.customFields, conversation: row.id, site: site, creating: true, tx: tx)
            let message = AnytimeMessage(
                id: UUID().uuidString.lowercased(), conversationId: Int(row.id), channelId: channel.id, type: .message, directType: .receive,
                channelAccountId: nil, contactIdentityId: nil, originalMessageId: nil, originalMessageUrl: nil, parentId: nil, subject: nil,
                cc: nil, contents: contents, mentionedAgentIds: [], isRead: false, sendStatus: .success, senderId: contactId,
                senderType: .contact, time: AnytimeTime.format(now))
            try await tx.conversations.insert(message, site: site)
            try await tx.conversations.log(
                "created", "Submitted by contact \(contactId) in the portal.", conversation: row.id, site: site, time: now)
            try await NewConversationPipeline.run(&row, staff: staff, now: now, tx: tx)
            try await tx.conversations.update(row)
            return try await Self.portal([row], tx: tx)[0]
        }
    }

    func setClosed(_ closing: Bool, request: Request, context: AuthenticatedContext) async throws -> AnytimePortalConversation {
        let body = try await request.body.collect(upTo: context.maxBodySize)
        var contactId = try request.decodeQuery(as: Parameters.self).contactId
        if !String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            contactId = try JSONBody.decode(AnytimePortalContact.self, from: body).contactId ?? contactId
        }
        guard let contact = try AnytimeLimits.id(contactId, "contactId") else { throw ServiceError.missing("contactId") }
        let (site, id, now) = (context.site, try context.conversationId(), self.store.now)
        return try await self.store.write(locking: [id]) { tx in
            var row = try await Self.owned(id, by: contact, site: site, tx: tx)
            let before = row.status
            guard (row.statusValue == .closed) != closing else {
                throw ServiceError.invalid("status", closing ? "The conversation is already closed." : "The conversation is not closed.")
            }
            row.set(status: closing ? .closed : .pendingInternal)
            (row.lastStatusChangeTime, row.lastActivityTime) = (now, now)
            try await tx.conversations.log(
                "status", "Status changed from \(before) to \(row.status) by contact \(contact) in the portal.", conversation: id, site: site,
                time: now)
            try await SLAClock.changed(&row, now: now, tx: tx)
            try await tx.conversations.update(row)
            // The contact's change goes in the history before the triggers it fires make theirs (reports read it in order).
            try await StatusHistory.record(row, from: before, time: now, tx: tx)
            try await TriggerEngine.statusChanged(&row, now: now, tx: tx)
            return try await Self.portal([row], tx: tx)[0]
        }
    }

    @Sendable func messages(_ request: Request, context: AuthenticatedContext) async throws -> [AnytimePortalMessage] {
        let parameters = try request.decodeQuery(as: Parameters.self)
        let sender = try MessageInclude(parameters.include).sender
        let (site, id) = (context.site, try context.conversationId())
        let contactId = try AnytimeLimits.id(parameters.contactId, "contactId")
        let messages = try await self.store.read { tx in
            _ = try await Self.owned(id, by: contactId, site: site, tx: tx)
            return try await tx.conversations.messages(of: id).filter { $0.type == .message }
        }
        return Self.portal(try await self.store.directory.expand(messages, sender: sender, site: site)).map { message in
            var message = message
            if message.senderType == .agent { message.sender = Self.publicAgent(message.sender) }
            return message
        }
    }

    /// What a contact may see of an agent: who it is, not its email, status, departments or load (spec §5.12).
    static func publicAgent(_ agent: JSONValue?) -> JSONValue? {
        guard case .object(let members)? = agent else { return agent }
        return .object(members.filter { ["id", "displayName"].contains($0.key) })
    }

    @Sendable func reply(_ request: Request, context: AuthenticatedContext, input: AnytimePortalMessageInput) async throws -> AnytimePortalMessage {
        guard let contactId = try AnytimeLimits.id(input.contactId, "contactId") else { throw ServiceError.missing("contactId") }
        let channel = try AnytimeChannel.named(Self.channel, member: "channel")
        let given = try ContentRules.contents(input.contents, channel: channel, member: "contents", sending: false)
        let references = input.attachments ?? []
        guard references.count <= AnytimeLimits.contents else {
            throw ServiceError.invalid("attachments", "Field 'attachments' may hold at most \(AnytimeLimits.contents) attachments.")
        }
        let attachmentIds = try references.enumerated().map { index, reference in
            guard let text = reference.id, let id = UUID(uuidString: text) else {
                throw ServiceError.invalid("attachments[\(index)].id", "Field 'attachments[\(index)].id' must be an attachment's GUID.")
            }
            return id.uuidString.lowercased()
        }
        guard !given.isEmpty || !attachmentIds.isEmpty else { throw ServiceError.missing("contents") }
        let (site, id, now) = (context.site, try context.conversationId(), self.store.now)
        return try await self.store.write(locking: [id]) { tx in
            let row = try await Self.owned(id, by: contactId, site: site, tx: tx)
            let available = try await tx.attachments.available(ids: attachmentIds, site: site)
            var contents = given
            for (index, attachmentId) in attachmentIds.enumerated() {
                guard let attachment = available[attachmentId] else {
                    throw ServiceError.invalid("attachments[\(index)].id", "Field 'attachments[\(index)].id' names no available attachment.")
                }
                let link = attachment.wire(baseURL: self.attachments.publicBaseURL)
                contents.append(AnytimeContent(id: UUID().uuidString.lowercased(), type: .file, name: link.fileName, url: link.url))
            }
            let written = TicketAttachment(contactMessage: contents, contactId: contactId, channel: channel, time: now)
            guard let message = try await written.attach(to: row, now: now, in: tx) else {
                throw ServiceError(.internalServerError, message: "The reply was not stored.")
            }
            var updated = try await tx.conversations.conversation(id: id, site: site, deleted: false) ?? row
            updated.isReadByContact = true
            try await tx.conversations.update(updated)
            return Self.portal([message])[0]
        }
    }

    /// The site's conversation `id` in use; 404 when there is none or `contactId` is given and is not its contact.
    static func owned(_ id: Int64, by contactId: String?, site: String, tx: Tx) async throws -> ConversationRow {
        guard let row = try await tx.conversations.conversation(id: id, site: site, deleted: false),
            contactId == nil || (row.relatedType == AnytimeRelatedType.contact.rawValue && row.relatedId == contactId)
        else { throw ServiceError.notFound("Portal conversation") }
        return row
    }

    /// `include` of the portal routes: which of `allowed` it names; any other name is a 400.
    static func include(_ text: String?, allowed: Set<String>) throws -> (contact: Bool, messages: Bool) {
        var names: Set<String> = []
        for name in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard allowed.contains(name.lowercased()) else {
                throw ServiceError.invalid("include", "Parameter 'include' does not know '\(AnytimeLimits.shortened(name))'.")
            }
            names.insert(name.lowercased())
        }
        return (names.contains("contact"), names.contains("messages"))
    }

    /// The portal form of `rows`, with their custom field values.
    static func portal(_ rows: [ConversationRow], tx: Tx) async throws -> [AnytimePortalConversation] {
        let customFields = try await CustomFieldValues.wire(of: rows.map(\.id), tx: tx)
        return rows.map { row in
            let closed = row.statusValue == .closed
            return AnytimePortalConversation(
                id: Int(row.id), subject: row.subject, contactId: row.relatedType == AnytimeRelatedType.contact.rawValue ? row.relatedId : nil,
                isClosed: closed, isReadByContact: row.isReadByContact, customFields: customFields[row.id] ?? [],
                createdTime: AnytimeTime.format(row.createdTime), closedTime: closed ? AnytimeTime.format(row.lastStatusChangeTime) : nil)
        }
    }

    static func portal(_ messages: [AnytimeMessage]) -> [AnytimePortalMessage] {
        messages.map {
            AnytimePortalMessage(id: $0.id, contents: $0.contents, senderId: $0.senderId, senderType: $0.senderType, time: $0.time, sender: $0.sender)
        }
    }

    /// `conversations` with their contact objects (`include=contact`).
    func withContacts(_ conversations: [AnytimePortalConversation], site: String) async throws -> [AnytimePortalConversation] {
        let found = try await self.store.directory.contacts.contacts(ids: Set(conversations.compactMap(\.contactId)), site: site)
        return try conversations.map { conversation in
            var conversation = conversation
            conversation.contact = try conversation.contactId.flatMap { found[$0] }.map { try JSONValue(encoding: $0) } ?? .null
            return conversation
        }
    }
}

extension TicketAttachment {
    /// A contact's message written from the portal: received, unread by the agents, delivered.
    init(contactMessage contents: [AnytimeContent], contactId: String, channel: AnytimeChannel, time: Int64) {
        self.sentById = contactId
        self.senderType = .contact
        self.received = true
        self.channel = channel
        self.time = time
        self.originalId = nil
        self.parentId = nil
        self.contents = contents
        self.isRead = false
        self.sendStatus = .success
        self.deliveryStatus = nil
        self.failReason = nil
    }
}
