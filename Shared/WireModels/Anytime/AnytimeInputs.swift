import Foundation

/// `POST /conversations` (L272–L289): `subject` and `message` are required (checked by the service, so the answer
/// names them); priority and status default to `normal` and `new`.
public struct AnytimeConversationInput: Codable, Sendable, Equatable {
    public var subject: String?
    public var assignedAgentId: String?
    public var assignedDepartmentId: String?
    public var priority: AnytimePriority?
    public var status: AnytimeStatus?
    public var tagIds: [String]?
    public var message: AnytimeMessageInput?
    /// Values of the site's custom fields, checked against them (L279).
    public var customFields: [AnytimeCustomFieldValueInput]?

    public init(
        subject: String?, assignedAgentId: String? = nil, assignedDepartmentId: String? = nil, priority: AnytimePriority? = nil,
        status: AnytimeStatus? = nil, tagIds: [String]? = nil, message: AnytimeMessageInput?, customFields: [AnytimeCustomFieldValueInput]? = nil
    ) {
        self.subject = subject
        self.assignedAgentId = assignedAgentId
        self.assignedDepartmentId = assignedDepartmentId
        self.priority = priority
        self.status = status
        self.tagIds = tagIds
        self.message = message
        self.customFields = customFields
    }
}

/// `PUT /conversations/{id}` (L292–L308): a partial update; members left out keep their value, `""` clears an id.
public struct AnytimeConversationUpdate: Codable, Sendable, Equatable {
    public var subject: String?
    public var relatedType: AnytimeRelatedType?
    public var relatedId: String?
    public var assignedAgentId: String?
    public var assignedDepartmentId: String?
    public var priority: AnytimePriority?
    public var status: AnytimeStatus?
    public var isRead: Bool?
    public var tagIds: [String]?
    /// The custom field values to set; fields left out keep theirs, an empty value clears one.
    public var customFields: [AnytimeCustomFieldValueInput]?
    /// Whether the caller has the conversation open in their active work area (per agent, spec §5.8).
    public var isActive: Bool?

    public init(
        subject: String? = nil, relatedType: AnytimeRelatedType? = nil, relatedId: String? = nil, assignedAgentId: String? = nil,
        assignedDepartmentId: String? = nil, priority: AnytimePriority? = nil, status: AnytimeStatus? = nil, isRead: Bool? = nil,
        tagIds: [String]? = nil, customFields: [AnytimeCustomFieldValueInput]? = nil, isActive: Bool? = nil
    ) {
        self.subject = subject
        self.relatedType = relatedType
        self.relatedId = relatedId
        self.assignedAgentId = assignedAgentId
        self.assignedDepartmentId = assignedDepartmentId
        self.priority = priority
        self.status = status
        self.isRead = isRead
        self.tagIds = tagIds
        self.customFields = customFields
        self.isActive = isActive
    }
}

/// The first message of `POST /conversations` (L283–L289) and the reply of `POST /conversations/{id}/messages`
/// (L347–L358); `type` is read by the reply only, `mentionedAgentIds` only on notes (spec §6 C6).
public struct AnytimeMessageInput: Codable, Sendable, Equatable {
    public var type: AnytimeMessageType?
    public var channelId: String?
    public var channelAccountId: String?
    public var contactIdentityId: String?
    public var subject: String?
    public var cc: String?
    public var parentId: String?
    public var contents: [AnytimeContentInput]?
    public var mentionedAgentIds: [String]?

    public init(
        type: AnytimeMessageType? = nil, channelId: String?, channelAccountId: String? = nil, contactIdentityId: String? = nil,
        subject: String? = nil, cc: String? = nil, parentId: String? = nil, contents: [AnytimeContentInput]? = nil,
        mentionedAgentIds: [String]? = nil
    ) {
        self.type = type
        self.channelId = channelId
        self.channelAccountId = channelAccountId
        self.contactIdentityId = contactIdentityId
        self.subject = subject
        self.cc = cc
        self.parentId = parentId
        self.contents = contents
        self.mentionedAgentIds = mentionedAgentIds
    }
}

/// A content as a client sends it: the server gives it its `id`.
public struct AnytimeContentInput: Codable, Sendable, Equatable {
    public var type: AnytimeContentType?
    public var text: String?
    public var htmlText: String?
    public var name: String?
    public var url: String?
    public var title: String?
    public var latitude: String?
    public var longitude: String?
    public var scale: String?
    public var desc: String?

    public init(
        type: AnytimeContentType?, text: String? = nil, htmlText: String? = nil, name: String? = nil, url: String? = nil, title: String? = nil,
        latitude: String? = nil, longitude: String? = nil, scale: String? = nil, desc: String? = nil
    ) {
        self.type = type
        self.text = text
        self.htmlText = htmlText
        self.name = name
        self.url = url
        self.title = title
        self.latitude = latitude
        self.longitude = longitude
        self.scale = scale
        self.desc = desc
    }
}

/// `DELETE /conversations` with a JSON body (spec §2.3).
public struct AnytimeConversationIds: Codable, Sendable, Equatable {
    public var ids: [Int]?

    public init(ids: [Int]?) { self.ids = ids }
}

/// `POST /ticketing/ticket/{id}/messages:attach` (seed 002 L1355–L1404, outreach-contact spec §4.14): a message,
/// such as a sent outreach SMS, attached to the ticket (the conversation) `{id}`.
public struct TicketMessageInput: Codable, Sendable, Equatable {
    public var id: String?
    public var ticketId: Int?
    public var parentId: String?
    public var sentById: String?
    public var sentByType: TicketSenderType?
    public var time: String?
    public var type: TicketMessageType?
    public var metadata: JSONValue?
    public var originalId: String?
    public var channelId: String?
    public var body: String?
    public var ifDisplayInTicketCorrespondences: Bool?
    public var isRead: Bool?
    public var messageDelivery: TicketMessageDelivery?
    public var attachments: [TicketAttachment]?

    public init(
        id: String? = nil, ticketId: Int? = nil, parentId: String? = nil, sentById: String?, sentByType: TicketSenderType?, time: String? = nil,
        type: TicketMessageType?, metadata: JSONValue?, originalId: String? = nil, channelId: String?, body: String? = nil,
        ifDisplayInTicketCorrespondences: Bool? = nil, isRead: Bool? = nil, messageDelivery: TicketMessageDelivery? = nil,
        attachments: [TicketAttachment]? = nil
    ) {
        self.id = id
        self.ticketId = ticketId
        self.parentId = parentId
        self.sentById = sentById
        self.sentByType = sentByType
        self.time = time
        self.type = type
        self.metadata = metadata
        self.originalId = originalId
        self.channelId = channelId
        self.body = body
        self.ifDisplayInTicketCorrespondences = ifDisplayInTicketCorrespondences
        self.isRead = isRead
        self.messageDelivery = messageDelivery
        self.attachments = attachments
    }
}

/// `sentByType` of an attached message (L1362).
public enum TicketSenderType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case contact, visitor, chatbot, channelAccount, system, agent
}

/// `type` of an attached message's content (L1364).
public enum TicketMessageType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text, html, video, audio, image, file, location, quickReply, webView
}

/// How far an attached message got (seed 002 L1558–L1569).
public struct TicketMessageDelivery: Codable, Sendable, Equatable {
    public var messageId: String?
    public var status: TicketDeliveryStatus?
    public var failReason: String?
    public var time: String?
    public var groupId: String?
    public var orderNum: Int?

    public init(
        messageId: String? = nil, status: TicketDeliveryStatus?, failReason: String? = nil, time: String? = nil, groupId: String? = nil,
        orderNum: Int? = nil
    ) {
        self.messageId = messageId
        self.status = status
        self.failReason = failReason
        self.time = time
        self.groupId = groupId
        self.orderNum = orderNum
    }
}

/// `status` of a delivery (L1564).
public enum TicketDeliveryStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case waitForSending, sending, failed, success
}

/// A file attached to an attached message (seed 002 L1548–L1556).
public struct TicketAttachment: Codable, Sendable, Equatable {
    public var type: TicketAttachmentType?
    public var url: String?
    public var size: Int?
    public var name: String?

    public init(type: TicketAttachmentType?, url: String?, size: Int? = nil, name: String? = nil) {
        self.type = type
        self.url = url
        self.size = size
        self.name = name
    }
}

/// `type` of an attachment (L1553).
public enum TicketAttachmentType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case video, audio, image, file
}

/// `PUT /conversations` (L310–L320): the same changes to every conversation of `ids`.
public struct AnytimeConversationBatchUpdate: Codable, Sendable, Equatable {
    public var ids: [Int]?
    public var status: AnytimeStatus?
    public var priority: AnytimePriority?
    public var assignedAgentId: String?
    public var assignedDepartmentId: String?
    public var isRead: Bool?

    public init(
        ids: [Int]?, status: AnytimeStatus? = nil, priority: AnytimePriority? = nil, assignedAgentId: String? = nil,
        assignedDepartmentId: String? = nil, isRead: Bool? = nil
    ) {
        self.ids = ids
        self.status = status
        self.priority = priority
        self.assignedAgentId = assignedAgentId
        self.assignedDepartmentId = assignedDepartmentId
        self.isRead = isRead
    }
}

/// `PUT /conversations/{id}/messages/{messageId}` (L360–L372): what a channel connector reports about a message it
/// sent; contents are matched by id and only their url changes. The seed writes `content`, the object `contents`:
/// both are read (spec §6 C7).
public struct AnytimeMessageUpdate: Codable, Sendable, Equatable {
    public var sendStatus: AnytimeSendStatus?
    public var originalMessageId: String?
    public var originalMessageUrl: String?
    public var content: [AnytimeContentUrl]?
    public var contents: [AnytimeContentUrl]?

    public init(
        sendStatus: AnytimeSendStatus? = nil, originalMessageId: String? = nil, originalMessageUrl: String? = nil,
        contents: [AnytimeContentUrl]? = nil
    ) {
        self.sendStatus = sendStatus
        self.originalMessageId = originalMessageId
        self.originalMessageUrl = originalMessageUrl
        self.contents = contents
    }
}

/// A content's new url, by the content's id.
public struct AnytimeContentUrl: Codable, Sendable, Equatable {
    public var id: String?
    public var url: String?

    public init(id: String?, url: String?) {
        self.id = id
        self.url = url
    }
}
