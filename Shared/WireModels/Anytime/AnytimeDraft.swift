import Foundation

/// A conversation's draft reply (seed 000 L172–L185, spec §4): one a conversation, owned by the agent who started
/// it (`senderId`); `time` is when it was last saved.
public struct AnytimeDraft: Codable, Sendable, Equatable {
    public var id: String
    public var conversationId: Int
    public var channelAccountId: String?
    public var contactIdentityId: String?
    public var parentId: String?
    public var subject: String?
    public var cc: String?
    public var contents: [AnytimeContent]
    public var mentionedAgentIds: [String]
    public var senderId: String
    public var time: String

    public init(
        id: String, conversationId: Int, channelAccountId: String?, contactIdentityId: String?, parentId: String?, subject: String?, cc: String?,
        contents: [AnytimeContent], mentionedAgentIds: [String], senderId: String, time: String
    ) {
        self.id = id
        self.conversationId = conversationId
        self.channelAccountId = channelAccountId
        self.contactIdentityId = contactIdentityId
        self.parentId = parentId
        self.subject = subject
        self.cc = cc
        self.contents = contents
        self.mentionedAgentIds = mentionedAgentIds
        self.senderId = senderId
        self.time = time
    }
}

/// `POST` and `PUT /conversations/{id}/draft` (L509–L521): on update members left out keep their value and an array
/// given replaces the stored one (spec §2.3).
public struct AnytimeDraftInput: Codable, Sendable, Equatable {
    public var channelAccountId: String?
    public var contactIdentityId: String?
    public var parentId: String?
    public var subject: String?
    public var cc: String?
    public var contents: [AnytimeContentInput]?
    public var mentionedAgentIds: [String]?

    public init(
        channelAccountId: String? = nil, contactIdentityId: String? = nil, parentId: String? = nil, subject: String? = nil, cc: String? = nil,
        contents: [AnytimeContentInput]? = nil, mentionedAgentIds: [String]? = nil
    ) {
        self.channelAccountId = channelAccountId
        self.contactIdentityId = contactIdentityId
        self.parentId = parentId
        self.subject = subject
        self.cc = cc
        self.contents = contents
        self.mentionedAgentIds = mentionedAgentIds
    }
}

/// `POST /conversations/{id}/merge` (L530–L536): the conversation merged into `{id}`.
public struct AnytimeMergeInput: Codable, Sendable, Equatable {
    public var sourceId: Int?

    public init(sourceId: Int?) { self.sourceId = sourceId }
}
