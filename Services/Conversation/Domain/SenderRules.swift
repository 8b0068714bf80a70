import Foundation
import ServiceKit
import WireModels

/// Blocked senders (spec §5.19, §6 B3; decision 234): an email type takes an address, a domain type a domain; the
/// value is matched in any case.
enum BlockedSenderRules {
    static let addressLimit = 320

    /// The value of a blocked sender of `type`, trimmed; 400 naming `value` when it is not an address (email types) or
    /// a domain (domain types).
    static func value(_ text: String?, type: AnytimeBlockType) throws -> String {
        guard let value = text?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { throw ServiceError.missing("value") }
        _ = try AnytimeLimits.bounded(value, "value", limit: Self.addressLimit)
        switch type {
        case .blockEmailasJunk, .rejectEmail:
            guard Self.isAddress(value) else {
                throw ServiceError.invalid(
                    "value", "Field 'value' must be an email address for \(type.rawValue), not '\(AnytimeLimits.shortened(value))'.")
            }
        case .blockDomainasJunk, .rejectDomain:
            guard Self.isDomain(value) else {
                throw ServiceError.invalid(
                    "value", "Field 'value' must be a domain such as example.com for \(type.rawValue), not '\(AnytimeLimits.shortened(value))'.")
            }
        }
        return value
    }

    /// `local@domain.tld` without spaces.
    static func isAddress(_ text: String) -> Bool {
        text.count <= Self.addressLimit && text.wholeMatch(of: /[^@\s]+@[^@\s.]+(\.[^@\s.]+)+/) != nil
    }

    /// Dot-separated labels of letters, digits and hyphens, at least two.
    static func isDomain(_ text: String) -> Bool {
        text.count <= 253 && text.wholeMatch(of: /([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?/) != nil
    }

    /// The rule for mail from `address`: a blocked address equal to it beats any domain; among domains, the one
    /// nearest the address's own (a domain blocks its subdomains too). nil when the sender is not blocked.
    static func rule(for address: String, site: String, tx: Tx) async throws -> BlockedSenderRow? {
        let key = address.lowercased()
        guard let at = key.lastIndex(of: "@") else { return nil }
        var domains: [String] = []
        var domain = Substring(key[key.index(after: at)...])
        while !domain.isEmpty {
            domains.append(String(domain))
            guard let dot = domain.firstIndex(of: ".") else { break }
            domain = domain[domain.index(after: dot)...]
        }
        let found = try await tx.settings.blockedSenders(site: site, keys: [key] + domains)
        if let exact = found.first(where: { $0.valueKey == key && [.blockEmailasJunk, .rejectEmail].contains($0.type) }) { return exact }
        let byDomain = found.filter { [.blockDomainasJunk, .rejectDomain].contains($0.type) }
        return domains.lazy.compactMap { domain in byDomain.first { $0.valueKey == domain } }.first
    }
}

/// An email a contact sent, on its way to becoming a conversation or junk (spec §5.19, §5.25; decisions 235–237).
struct InboundMail: Sendable {
    var address: String
    var channelAccountId, contactIdentityId, subject, cc, originalMessageId, originalMessageUrl, parentId: String?
    var source: String
    var contents: [AnytimeContent]
    var time: Int64

    static let noSubject = "(no subject)"

    /// `POST /inboundEmails`: `from` required and an address; contents as the email channel receives them.
    init(_ input: AnytimeInboundEmail, now: Int64) throws {
        guard let from = input.from?.trimmingCharacters(in: .whitespacesAndNewlines), !from.isEmpty else { throw ServiceError.missing("from") }
        guard BlockedSenderRules.isAddress(from) else {
            throw ServiceError.invalid("from", "Field 'from' must be an email address, not '\(AnytimeLimits.shortened(from))'.")
        }
        let email = try AnytimeChannel.named("email", member: "channelId")
        self.address = from
        self.channelAccountId = try AnytimeLimits.id(input.channelAccountId, "channelAccountId")
        self.contactIdentityId = try AnytimeLimits.id(input.contactIdentityId, "contactIdentityId")
        self.subject = try input.subject.map {
            try AnytimeLimits.bounded($0.trimmingCharacters(in: .whitespacesAndNewlines), "subject", limit: AnytimeLimits.subject)
        }
        self.cc = try input.cc.map { try AnytimeLimits.bounded($0, "cc", limit: AnytimeLimits.subject) }
        self.originalMessageId = try input.originalMessageId.map { try AnytimeLimits.bounded($0, "originalMessageId", limit: 1000) }
        self.originalMessageUrl = try input.originalMessageUrl.map { try AnytimeLimits.bounded($0, "originalMessageUrl", limit: 2048) }
        self.parentId = nil
        let source = input.source?.trimmingCharacters(in: .whitespaces) ?? ""
        self.source = source.isEmpty ? "API" : try AnytimeLimits.bounded(source, "source", limit: 32)
        self.contents = try ContentRules.contents(input.contents, channel: email, member: "contents", sending: false)
        self.time = now
    }

    /// The mail a junk holds, for `notJunk`.
    init(junk: JunkRow, contents: [AnytimeContent]) {
        self.address = junk.senderAddress
        (self.channelAccountId, self.contactIdentityId, self.subject, self.cc) = (junk.channelAccount, junk.contactIdentityId, junk.subject, junk.cc)
        (self.originalMessageId, self.originalMessageUrl, self.parentId) = (junk.originalMessageId, junk.originalMessageUrl, junk.parentId)
        (self.source, self.contents, self.time) = (junk.source, contents, junk.time)
    }

    /// The junk the mail becomes when its sender is blocked as junk: unread, from the contact.
    func junk(site: String) -> JunkRow {
        JunkRow(
            id: UUID().uuidString.lowercased(), siteId: site, channelAccount: self.channelAccountId, contactIdentityId: self.contactIdentityId,
            senderAddress: self.address, source: self.source, originalMessageId: self.originalMessageId, originalMessageUrl: self.originalMessageUrl,
            parentId: self.parentId, subject: self.subject, cc: self.cc, isRead: false, senderId: nil, senderType: AnytimeActorType.contact.rawValue,
            time: self.time)
    }

    /// Opens a conversation with the mail as its first, received message: new, normal, unread, created by the
    /// contact, with the custom fields' defaults and a "created" event log (spec §5.1, §5.25 step 3).
    func openConversation(site: String, staff: RoutingStaff, now: Int64, tx: Tx) async throws -> AnytimeConversation {
        let subject = (self.subject?.isEmpty ?? true) ? Self.noSubject : self.subject!
        var row = ConversationRow(
            id: 0, guid: UUID().uuidString.lowercased(), siteId: site, subject: subject, status: AnytimeStatus.new.rawValue,
            statusRank: AnytimeStatus.new.rank, priority: AnytimePriority.normal.rawValue, priorityRank: AnytimePriority.normal.rank,
            assignedAgentId: nil, assignedDepartmentId: nil, relatedType: nil, relatedId: nil, originalId: self.originalMessageId, channelId: "email",
            isRead: false, isReadByContact: true, isDeleted: false, createdById: nil, createdByType: AnytimeActorType.contact.rawValue,
            createdTime: now, lastActivityTime: now, lastStatusChangeTime: now, lastRepliedTime: self.time, lastRepliedById: nil,
            lastRepliedByType: AnytimeActorType.contact.rawValue, slaPolicyId: nil, firstRespondBreachAt: nil, nextRespondBreachAt: nil,
            resolveBreachAt: nil, nextSlaBreach: nil)
        row.id = try await tx.conversations.insert(row)
        let message = AnytimeMessage(
            id: UUID().uuidString.lowercased(), conversationId: Int(row.id), channelId: "email", type: .message, directType: .receive,
            channelAccountId: self.channelAccountId, contactIdentityId: self.contactIdentityId, originalMessageId: self.originalMessageId,
            originalMessageUrl: self.originalMessageUrl, parentId: nil, subject: self.subject, cc: self.cc, contents: self.contents,
            mentionedAgentIds: [], isRead: false, sendStatus: .success, senderId: nil, senderType: .contact, time: AnytimeTime.format(self.time))
        try await tx.conversations.insert(message, site: site)
        try await CustomFieldValues.apply(nil, conversation: row.id, site: site, creating: true, requiring: false, tx: tx)
        try await tx.conversations.log("created", "Created by contact \(self.address) via email.", conversation: row.id, site: site, time: now)
        try await NewConversationPipeline.run(&row, staff: staff, now: now, tx: tx)
        return try await ConversationStore.wire(row, include: ConversationInclude(nil, single: true), tx: tx)
    }
}
