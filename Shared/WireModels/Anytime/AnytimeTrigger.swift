/// A trigger (seed 000 L965–L984): when `event` happens on a conversation its conditions match, it sets field values,
/// sends an email to the contact and agents (shown in the conversation when `ifShowInConversationCorrespondences`), in
/// `orderNum` order with the site's other triggers for that event.
public struct AnytimeTrigger: Codable, Sendable, Equatable {
    public var id: String
    public var description: String
    public var isEnabled: Bool
    public var event: AnytimeTriggerEvent
    public var conditions: AnytimeConditions
    public var ifSetValue: Bool
    public var autoUpdate: [AnytimeAutoUpdate]
    public var ifSendEmail: Bool
    public var ifSendToContacts: Bool
    public var ifSendToAgents: Bool
    public var recipientAgentIds: [String]
    public var subject: String
    public var htmlText: String
    public var plainText: String
    public var attachments: [AnytimeAttachment]
    public var ifShowInConversationCorrespondences: Bool
    public var orderNum: Int

    public init(
        id: String, description: String, isEnabled: Bool, event: AnytimeTriggerEvent, conditions: AnytimeConditions, ifSetValue: Bool,
        autoUpdate: [AnytimeAutoUpdate], ifSendEmail: Bool, ifSendToContacts: Bool, ifSendToAgents: Bool, recipientAgentIds: [String],
        subject: String, htmlText: String, plainText: String, attachments: [AnytimeAttachment], ifShowInConversationCorrespondences: Bool,
        orderNum: Int
    ) {
        self.id = id
        self.description = description
        self.isEnabled = isEnabled
        self.event = event
        self.conditions = conditions
        self.ifSetValue = ifSetValue
        self.autoUpdate = autoUpdate
        self.ifSendEmail = ifSendEmail
        self.ifSendToContacts = ifSendToContacts
        self.ifSendToAgents = ifSendToAgents
        self.recipientAgentIds = recipientAgentIds
        self.subject = subject
        self.htmlText = htmlText
        self.plainText = plainText
        self.attachments = attachments
        self.ifShowInConversationCorrespondences = ifShowInConversationCorrespondences
        self.orderNum = orderNum
    }
}

/// What a trigger runs on (L968; the seed writes the last one with a leading space, spec §6 G12).
public enum AnytimeTriggerEvent: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case conversationCreated, conversationReplyReceived, agentReplied, conversationAssigneeChanged, conversationStatusChanged
    case conversationStatusLastForCertainTime
}

/// One field a trigger sets (L986–L992): `value` is the value to set (spec §6 T4).
public struct AnytimeAutoUpdate: Codable, Sendable, Equatable {
    public var id: String
    public var triggerId: String
    public var fieldId: String
    public var value: String

    public init(id: String, triggerId: String, fieldId: String, value: String) {
        self.id = id
        self.triggerId = triggerId
        self.fieldId = fieldId
        self.value = value
    }
}

/// `POST /triggers` and `PUT /triggers/{id}` (L1009–L1050): `event` is text so the seed's leading space is accepted;
/// on update members left out keep their value and lists given replace the stored ones.
public struct AnytimeTriggerInput: Codable, Sendable, Equatable {
    public var description: String?
    public var isEnabled: Bool?
    public var event: String?
    public var conditions: AnytimeConditionsInput?
    public var ifSetValue: Bool?
    public var autoUpdate: [AnytimeAutoUpdateInput]?
    public var ifSendEmail: Bool?
    public var ifSendToContacts: Bool?
    public var ifSendToAgents: Bool?
    public var recipientAgentIds: [String]?
    public var subject: String?
    public var htmlText: String?
    public var plainText: String?
    public var attachments: [AnytimeAttachmentReference]?
    public var ifShowInConversationCorrespondences: Bool?

    public init(
        description: String? = nil, isEnabled: Bool? = nil, event: String? = nil, conditions: AnytimeConditionsInput? = nil, ifSetValue: Bool? = nil,
        autoUpdate: [AnytimeAutoUpdateInput]? = nil, ifSendEmail: Bool? = nil, ifSendToContacts: Bool? = nil, ifSendToAgents: Bool? = nil,
        recipientAgentIds: [String]? = nil, subject: String? = nil, htmlText: String? = nil, plainText: String? = nil,
        attachments: [AnytimeAttachmentReference]? = nil, ifShowInConversationCorrespondences: Bool? = nil
    ) {
        self.description = description
        self.isEnabled = isEnabled
        self.event = event
        self.conditions = conditions
        self.ifSetValue = ifSetValue
        self.autoUpdate = autoUpdate
        self.ifSendEmail = ifSendEmail
        self.ifSendToContacts = ifSendToContacts
        self.ifSendToAgents = ifSendToAgents
        self.recipientAgentIds = recipientAgentIds
        self.subject = subject
        self.htmlText = htmlText
        self.plainText = plainText
        self.attachments = attachments
        self.ifShowInConversationCorrespondences = ifShowInConversationCorrespondences
    }
}

/// A field a trigger sets, as a client sends it: the server gives it its `id` and `triggerId`.
public struct AnytimeAutoUpdateInput: Codable, Sendable, Equatable {
    public var fieldId: String?
    public var value: String?

    public init(fieldId: String?, value: String?) {
        self.fieldId = fieldId
        self.value = value
    }
}

/// `PUT /triggers/{id}/enable` (L1060–L1066, spec §6 T1).
public struct AnytimeTriggerEnableInput: Codable, Sendable, Equatable {
    public var isEnabled: Bool?

    public init(isEnabled: Bool?) { self.isEnabled = isEnabled }
}
