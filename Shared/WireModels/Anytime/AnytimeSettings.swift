import Foundation

/// An integrated channel (seed 000 L1452–L1463, spec §4): what it can send and how its messages are shown.
public struct AnytimeChannelInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var contactIdentityType: String
    public var icon: String
    public var messageDisplayType: AnytimeMessageDisplayType
    public var messageMaxLength: Int
    public var messageCapability: [AnytimeContentType]
    public var isSupportReplyWithDiffAccount: Bool
    public var isSupportDirectlyReply: Bool

    public init(
        id: String, name: String, contactIdentityType: String, icon: String, messageDisplayType: AnytimeMessageDisplayType, messageMaxLength: Int,
        messageCapability: [AnytimeContentType], isSupportReplyWithDiffAccount: Bool, isSupportDirectlyReply: Bool
    ) {
        self.id = id
        self.name = name
        self.contactIdentityType = contactIdentityType
        self.icon = icon
        self.messageDisplayType = messageDisplayType
        self.messageMaxLength = messageMaxLength
        self.messageCapability = messageCapability
        self.isSupportReplyWithDiffAccount = isSupportReplyWithDiffAccount
        self.isSupportDirectlyReply = isSupportDirectlyReply
    }
}

/// `messageDisplayType` of a channel (L1460).
public enum AnytimeMessageDisplayType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case treeView, flatView, emailView
}

/// A channel account (L1413–L1418): an address or page of a channel that messages leave from and arrive at.
public struct AnytimeChannelAccount: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var channelId: String

    public init(id: String, name: String, channelId: String) {
        self.id = id
        self.name = name
        self.channelId = channelId
    }
}

/// `POST /channelAccounts` and `PUT /channelAccounts/{id}` (L1428–L1440): the members bare or wrapped in
/// `channelAccount` (spec §6 CH1); the bare ones win.
public struct AnytimeChannelAccountInput: Codable, Sendable, Equatable {
    public var name: String?
    public var channelId: String?
    public var channelAccount: AnytimeChannelAccountFields?

    public init(name: String? = nil, channelId: String? = nil, channelAccount: AnytimeChannelAccountFields? = nil) {
        self.name = name
        self.channelId = channelId
        self.channelAccount = channelAccount
    }
}

/// The wrapped form of ``AnytimeChannelAccountInput``.
public struct AnytimeChannelAccountFields: Codable, Sendable, Equatable {
    public var name: String?
    public var channelId: String?

    public init(name: String? = nil, channelId: String? = nil) {
        self.name = name
        self.channelId = channelId
    }
}

/// A conversation field (L1219–L1232): a system field (a conversation property) or a custom one whose values
/// conversations carry in `customFields`.
public struct AnytimeField: Codable, Sendable, Equatable {
    public var id: String
    public var type: AnytimeFieldType
    public var name: String
    public var isSystemField: Bool
    public var isRequired: Bool
    public var defaultValue: String?
    public var helpText: String?
    public var length: Int?
    public var options: [AnytimeFieldOption]
    public var chatFieldMapping: String?
    public var offlineMessageFieldMapping: String?

    public init(
        id: String, type: AnytimeFieldType, name: String, isSystemField: Bool, isRequired: Bool, defaultValue: String?, helpText: String?,
        length: Int?, options: [AnytimeFieldOption], chatFieldMapping: String?, offlineMessageFieldMapping: String?
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.isSystemField = isSystemField
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.helpText = helpText
        self.length = length
        self.options = options
        self.chatFieldMapping = chatFieldMapping
        self.offlineMessageFieldMapping = offlineMessageFieldMapping
    }
}

/// `type` of a field (L1224).
public enum AnytimeFieldType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text, textarea, email, url, date, integer, float, `operator`, radio, checkbox, dropdownList, checkboxList, link, department
}

/// An option of a radio, drop-down or checkbox-list field (L1234–L1240).
public struct AnytimeFieldOption: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var value: String
    public var orderNum: Int

    public init(id: String, name: String, value: String, orderNum: Int) {
        self.id = id
        self.name = name
        self.value = value
        self.orderNum = orderNum
    }
}

/// `POST /fields` and `PUT /fields/{id}` (L1264–L1288); `type` is read on create only.
public struct AnytimeFieldInput: Codable, Sendable, Equatable {
    public var type: AnytimeFieldType?
    public var name: String?
    public var isRequired: Bool?
    public var defaultValue: String?
    public var helpText: String?
    public var length: Int?
    public var options: [AnytimeFieldOptionInput]?

    public init(
        type: AnytimeFieldType? = nil, name: String? = nil, isRequired: Bool? = nil, defaultValue: String? = nil, helpText: String? = nil,
        length: Int? = nil, options: [AnytimeFieldOptionInput]? = nil
    ) {
        self.type = type
        self.name = name
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.helpText = helpText
        self.length = length
        self.options = options
    }
}

/// An option as a client sends it: `id` keeps an existing option on update; `name` defaults to `value`.
public struct AnytimeFieldOptionInput: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var value: String?
    public var orderNum: Int?

    public init(id: String? = nil, name: String? = nil, value: String?, orderNum: Int? = nil) {
        self.id = id
        self.name = name
        self.value = value
        self.orderNum = orderNum
    }
}

/// `PUT /fields/mapping` (L1297–L1302).
public struct AnytimeFieldMappings: Codable, Sendable, Equatable {
    public var fieldMappings: [AnytimeFieldMapping]?

    public init(fieldMappings: [AnytimeFieldMapping]?) { self.fieldMappings = fieldMappings }
}

/// One field's chat and offline-message mapping (L1242–L1247); a missing or null member clears it.
public struct AnytimeFieldMapping: Codable, Sendable, Equatable {
    public var fieldId: String?
    public var chatFieldMapping: String?
    public var offlineMessageFieldMapping: String?

    public init(fieldId: String?, chatFieldMapping: String? = nil, offlineMessageFieldMapping: String? = nil) {
        self.fieldId = fieldId
        self.chatFieldMapping = chatFieldMapping
        self.offlineMessageFieldMapping = offlineMessageFieldMapping
    }
}

/// A custom field value as a client sends it on a conversation: `id` names the field, `name` is ignored.
public struct AnytimeCustomFieldValueInput: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var value: String?

    public init(id: String?, name: String? = nil, value: String?) {
        self.id = id
        self.name = name
        self.value = value
    }
}

/// A blocked email address or domain (L1307–L1312).
public struct AnytimeBlockedSender: Codable, Sendable, Equatable {
    public var id: String
    public var value: String
    public var blockType: AnytimeBlockType

    public init(id: String, value: String, blockType: AnytimeBlockType) {
        self.id = id
        self.value = value
        self.blockType = blockType
    }
}

/// `blockType` (L1312): an address or a domain, its mail kept as junk or refused.
public enum AnytimeBlockType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case blockEmailasJunk, rejectEmail, blockDomainasJunk, rejectDomain
}

/// `PUT /blockedSenders` (L1329–L1335): added, or updated when `value` is already blocked.
public struct AnytimeBlockedSenderInput: Codable, Sendable, Equatable {
    public var value: String?
    public var blockType: AnytimeBlockType?

    public init(value: String?, blockType: AnytimeBlockType?) {
        self.value = value
        self.blockType = blockType
    }
}

/// `DELETE /blockedSenders` with a JSON body (spec §6 G4).
public struct AnytimeBlockedSenderValue: Codable, Sendable, Equatable {
    public var value: String?

    public init(value: String?) { self.value = value }
}

/// An email from a blocked sender, kept out of the conversations (L1346–L1362; `channelAccount` as the seed spells it).
public struct AnytimeJunk: Codable, Sendable, Equatable {
    public var id: String
    public var channelAccount: String?
    public var contactIdentityId: String?
    public var source: String
    public var originalMessageId: String?
    public var originalMessageUrl: String?
    public var parentId: String?
    public var contents: [AnytimeContent]
    public var subject: String?
    public var cc: String?
    public var isRead: Bool
    public var senderId: String?
    public var senderType: AnytimeActorType
    public var time: String

    public init(
        id: String, channelAccount: String?, contactIdentityId: String?, source: String, originalMessageId: String?, originalMessageUrl: String?,
        parentId: String?, contents: [AnytimeContent], subject: String?, cc: String?, isRead: Bool, senderId: String?, senderType: AnytimeActorType,
        time: String
    ) {
        self.id = id
        self.channelAccount = channelAccount
        self.contactIdentityId = contactIdentityId
        self.source = source
        self.originalMessageId = originalMessageId
        self.originalMessageUrl = originalMessageUrl
        self.parentId = parentId
        self.contents = contents
        self.subject = subject
        self.cc = cc
        self.isRead = isRead
        self.senderId = senderId
        self.senderType = senderType
        self.time = time
    }
}

/// A page of `GET /junks` (L1365–L1378), 50 a page, newest first.
public struct AnytimeJunkPage: Codable, Sendable, Equatable {
    public var junks: [AnytimeJunk]
    public var total: Int
    public var previousPage: String?
    public var nextPage: String?
    public var currentPage: String

    public init(junks: [AnytimeJunk], total: Int, previousPage: String?, nextPage: String?, currentPage: String) {
        self.junks = junks
        self.total = total
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.currentPage = currentPage
    }
}

/// `PUT /junks/{id}` (L1387–L1393): only the read flag changes.
public struct AnytimeJunkUpdate: Codable, Sendable, Equatable {
    public var isRead: Bool?

    public init(isRead: Bool?) { self.isRead = isRead }
}

/// `POST /inboundEmails` (Switchboard extension; spec §5.19 option b): an email a contact sent to a channel account,
/// as a mail connector hands it over. `from` is the sender's address, checked against the blocked senders.
public struct AnytimeInboundEmail: Codable, Sendable, Equatable {
    public var from: String?
    public var channelAccountId: String?
    public var contactIdentityId: String?
    public var subject: String?
    public var cc: String?
    public var originalMessageId: String?
    public var originalMessageUrl: String?
    public var source: String?
    public var contents: [AnytimeContentInput]?

    public init(
        from: String?, channelAccountId: String? = nil, contactIdentityId: String? = nil, subject: String?, cc: String? = nil,
        originalMessageId: String? = nil, originalMessageUrl: String? = nil, source: String? = nil, contents: [AnytimeContentInput]?
    ) {
        self.from = from
        self.channelAccountId = channelAccountId
        self.contactIdentityId = contactIdentityId
        self.subject = subject
        self.cc = cc
        self.originalMessageId = originalMessageId
        self.originalMessageUrl = originalMessageUrl
        self.source = source
        self.contents = contents
    }
}

/// What became of an inbound email: a new conversation, or a junk when its sender is blocked as junk.
public struct AnytimeInboundResult: Codable, Sendable, Equatable {
    public var conversation: AnytimeConversation?
    public var junk: AnytimeJunk?

    public init(conversation: AnytimeConversation?, junk: AnytimeJunk?) {
        self.conversation = conversation
        self.junk = junk
    }
}
