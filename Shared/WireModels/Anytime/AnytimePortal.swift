/// A conversation as the contact who submitted it sees it in the portal (seed 000 L551–L561, spec §5.12): the same
/// record and id as the agents' conversation, without what is internal (assignee, SLA, notes, mentions).
public struct AnytimePortalConversation: Codable, Sendable, Equatable {
    public var id: Int
    public var subject: String
    public var contactId: String?
    public var isClosed: Bool
    public var isReadByContact: Bool
    public var customFields: [AnytimeCustomFieldValue]
    public var createdTime: String
    public var closedTime: String?
    /// `include=contact`: the contact object, `null` when it is no one's.
    public var contact: JSONValue?
    /// `include=messages`.
    public var messages: [AnytimePortalMessage]?

    public init(
        id: Int, subject: String, contactId: String?, isClosed: Bool, isReadByContact: Bool, customFields: [AnytimeCustomFieldValue],
        createdTime: String, closedTime: String?, contact: JSONValue? = nil, messages: [AnytimePortalMessage]? = nil
    ) {
        self.id = id
        self.subject = subject
        self.contactId = contactId
        self.isClosed = isClosed
        self.isReadByContact = isReadByContact
        self.customFields = customFields
        self.createdTime = createdTime
        self.closedTime = closedTime
        self.contact = contact
        self.messages = messages
    }
}

/// A message of a portal conversation (L563–L570): agents', the contact's and the system's messages, never notes.
public struct AnytimePortalMessage: Codable, Sendable, Equatable {
    public var id: String
    public var contents: [AnytimeContent]
    public var senderId: String?
    public var senderType: AnytimeActorType
    public var time: String
    /// `include=sender`.
    public var sender: JSONValue?

    public init(id: String, contents: [AnytimeContent], senderId: String?, senderType: AnytimeActorType, time: String, sender: JSONValue? = nil) {
        self.id = id
        self.contents = contents
        self.senderId = senderId
        self.senderType = senderType
        self.time = time
        self.sender = sender
    }
}

/// `POST /portalConversations` (L616–L625).
public struct AnytimePortalConversationInput: Codable, Sendable, Equatable {
    public var subject: String?
    public var contactId: String?
    public var customFields: [AnytimeCustomFieldValueInput]?
    public var message: AnytimePortalMessageInput?

    public init(subject: String?, contactId: String?, customFields: [AnytimeCustomFieldValueInput]? = nil, message: AnytimePortalMessageInput?) {
        self.subject = subject
        self.contactId = contactId
        self.customFields = customFields
        self.message = message
    }
}

/// A contact's message: the first one of a submission, or a reply (L656–L664) with its attachments by id.
public struct AnytimePortalMessageInput: Codable, Sendable, Equatable {
    public var contactId: String?
    public var contents: [AnytimeContentInput]?
    public var attachments: [AnytimeAttachmentReference]?

    public init(contactId: String? = nil, contents: [AnytimeContentInput]?, attachments: [AnytimeAttachmentReference]? = nil) {
        self.contactId = contactId
        self.contents = contents
        self.attachments = attachments
    }
}

/// An uploaded attachment named in a portal reply: its `id` is what counts.
public struct AnytimeAttachmentReference: Codable, Sendable, Equatable {
    public var id: String?

    public init(id: String?) { self.id = id }
}

/// The contact acting on its conversation (close, reopen: L627–L641).
public struct AnytimePortalContact: Codable, Sendable, Equatable {
    public var contactId: String?

    public init(contactId: String?) { self.contactId = contactId }
}
