import Foundation
import ServiceKit
import WireModels

/// A draft's input checked (spec §5.7, decision 222): members left out keep their value, `""` clears an id or text,
/// `contents` and `mentionedAgentIds` given replace the stored ones. A draft is not sent, so no channel rule applies
/// to its contents yet (the reply that sends it is checked); their number and sizes are bounded as a message's are.
struct DraftChanges: Sendable {
    /// `.some(nil)`: cleared.
    var channelAccountId, contactIdentityId, parentId, subject, cc: String??
    var contents: [AnytimeContent]?
    var mentionedAgentIds: [String]?

    init(_ input: AnytimeDraftInput) throws {
        func id(_ text: String?, _ member: String) throws -> String?? {
            guard let text else { return .none }
            return .some(try AnytimeLimits.id(text, member))
        }
        func text(_ text: String?, _ member: String) throws -> String?? {
            guard let text else { return .none }
            return .some(text.isEmpty ? nil : try AnytimeLimits.bounded(text, member, limit: AnytimeLimits.subject))
        }
        self.channelAccountId = try id(input.channelAccountId, "channelAccountId")
        self.contactIdentityId = try id(input.contactIdentityId, "contactIdentityId")
        self.parentId = try id(input.parentId, "parentId")
        self.subject = try text(input.subject, "subject")
        self.cc = try text(input.cc, "cc")
        // Any channel will do: with `sending: false` only the contents' own bounds are checked.
        self.contents = try input.contents.map { try ContentRules.contents($0, channel: AnytimeChannel.all[0], member: "contents", sending: false) }
        self.mentionedAgentIds = try input.mentionedAgentIds.map { given in
            guard given.count <= AnytimeLimits.mentions else {
                throw ServiceError.invalid("mentionedAgentIds", "Field 'mentionedAgentIds' may hold at most \(AnytimeLimits.mentions) ids.")
            }
            var agents: [String] = []
            for (index, text) in given.enumerated() {
                guard let agent = try AnytimeLimits.id(text, "mentionedAgentIds[\(index)]") else {
                    throw ServiceError.invalid("mentionedAgentIds[\(index)]", "Field 'mentionedAgentIds[\(index)]' cannot be empty.")
                }
                if !agents.contains(agent) { agents.append(agent) }
            }
            return agents
        }
    }

    /// A new draft of `conversation` by `sender`, saved at `now`.
    func draft(conversation: Int64, site: String, sender: String, now: Int64) -> DraftRow {
        var row = DraftRow(
            id: UUID().uuidString.lowercased(), siteId: site, conversationId: conversation, channelAccountId: nil, contactIdentityId: nil,
            parentId: nil, subject: nil, cc: nil, contents: JSONText([]), mentionedAgentIds: JSONText([]), senderId: sender, time: now)
        self.apply(to: &row, now: now)
        return row
    }

    func apply(to row: inout DraftRow, now: Int64) {
        if let channelAccountId { row.channelAccountId = channelAccountId }
        if let contactIdentityId { row.contactIdentityId = contactIdentityId }
        if let parentId { row.parentId = parentId }
        if let subject { row.subject = subject }
        if let cc { row.cc = cc }
        if let contents { row.contents = JSONText(contents) }
        if let mentionedAgentIds { row.mentionedAgentIds = JSONText(mentionedAgentIds) }
        row.time = now
    }
}
