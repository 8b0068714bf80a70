/// A name and value captured from a form or the page.
public struct LiveChatFieldValue: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String
    public var value: String?

    public init(id: Int? = nil, name: String, value: String?) {
        self.id = id
        self.name = name
        self.value = value
    }
}

/// A file sent during a chat or with an offline message.
public struct LiveChatAttachment: Codable, Sendable, Equatable {
    public var name: String
    public var uri: String?

    public init(name: String, uri: String?) {
        self.name = name
        self.uri = uri
    }
}

/// A line of a chat's transcript.
public struct LiveChatMessage: Codable, Sendable, Equatable {
    /// ISO 8601 in the query's time zone.
    public var time: String
    public var sender: String
    /// `agent`, `visitor` or `system`.
    public var type: String?
    public var content: String

    public init(time: String, sender: String, type: String?, content: String) {
        self.time = time
        self.sender = sender
        self.type = type
        self.content = content
    }
}

/// What the agent recorded after the chat.
public struct LiveChatWrapup: Codable, Sendable, Equatable {
    public var category: String?
    public var comment: String?
    public var fields: [LiveChatFieldValue]?

    public init(category: String?, comment: String?, fields: [LiveChatFieldValue]?) {
        self.category = category
        self.comment = comment
        self.fields = fields
    }
}

/// The visitor's post-chat survey.
public struct LiveChatSurvey: Codable, Sendable, Equatable {
    public var ratingGrade: String?
    public var ratingComment: String?
    public var fields: [LiveChatFieldValue]?

    public init(ratingGrade: String?, ratingComment: String?, fields: [LiveChatFieldValue]?) {
        self.ratingGrade = ratingGrade
        self.ratingComment = ratingComment
        self.fields = fields
    }
}

/// A chat as the history shows it (seed 001, "Chat").
public struct LiveChatChat: Codable, Sendable, Equatable {
    public var id: Int
    public var ssoUserId: String?
    public var name: String?
    public var email: String?
    /// The department's name.
    public var department: String?
    /// The names of the agents who took part.
    public var agents: [String]
    public var prechatFields: [LiveChatFieldValue]
    public var customVariables: [LiveChatFieldValue]
    public var requestTime: String
    /// `hh:mm:ss` from the request to the first agent.
    public var waitingTime: String?
    public var endTime: String?
    public var chatTranscript: [LiveChatMessage]
    public var attachments: [LiveChatAttachment]
    public var postChat: LiveChatSurvey?
    public var wrapup: LiveChatWrapup?

    public init(
        id: Int, ssoUserId: String?, name: String?, email: String?, department: String?, agents: [String], prechatFields: [LiveChatFieldValue],
        customVariables: [LiveChatFieldValue], requestTime: String, waitingTime: String?, endTime: String?, chatTranscript: [LiveChatMessage],
        attachments: [LiveChatAttachment], postChat: LiveChatSurvey?, wrapup: LiveChatWrapup?
    ) {
        self.id = id
        self.ssoUserId = ssoUserId
        self.name = name
        self.email = email
        self.department = department
        self.agents = agents
        self.prechatFields = prechatFields
        self.customVariables = customVariables
        self.requestTime = requestTime
        self.waitingTime = waitingTime
        self.endTime = endTime
        self.chatTranscript = chatTranscript
        self.attachments = attachments
        self.postChat = postChat
        self.wrapup = wrapup
    }
}

/// An offline message a visitor left (seed 001's second "Offline Message JSON Format").
public struct LiveChatOfflineMessage: Codable, Sendable, Equatable {
    public var id: Int
    public var time: String
    public var ssoUserId: String?
    public var name: String?
    public var email: String?
    public var department: String?
    public var agent: String?
    public var content: String
    public var fields: [LiveChatFieldValue]
    public var customVariables: [LiveChatFieldValue]
    public var attachment: LiveChatAttachment?

    public init(
        id: Int, time: String, ssoUserId: String?, name: String?, email: String?, department: String?, agent: String?, content: String,
        fields: [LiveChatFieldValue], customVariables: [LiveChatFieldValue], attachment: LiveChatAttachment?
    ) {
        self.id = id
        self.time = time
        self.ssoUserId = ssoUserId
        self.name = name
        self.email = email
        self.department = department
        self.agent = agent
        self.content = content
        self.fields = fields
        self.customVariables = customVariables
        self.attachment = attachment
    }
}

/// A page of history: the matching total and links to the neighbouring pages.
public struct LiveChatPage<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var total: Int
    public var previousPage: String?
    public var nextPage: String?
    public var items: [Item]
    /// The member the items go in: `chats`, `offlineMessages` or `missedAndRefusedChats`.
    public var itemsKey: String

    public init(total: Int, previousPage: String?, nextPage: String?, items: [Item], itemsKey: String) {
        self.total = total
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.items = items
        self.itemsKey = itemsKey
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(self.total, forKey: Key(stringValue: "total"))
        // The edges have no neighbour: null, written out.
        try container.encode(self.previousPage, forKey: Key(stringValue: "previousPage"))
        try container.encode(self.nextPage, forKey: Key(stringValue: "nextPage"))
        try container.encode(self.items, forKey: Key(stringValue: self.itemsKey))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        self.total = try container.decode(Int.self, forKey: Key(stringValue: "total"))
        self.previousPage = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "previousPage"))
        self.nextPage = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "nextPage"))
        let key = ["chats", "offlineMessages", "missedAndRefusedChats"].first { container.contains(Key(stringValue: $0)) } ?? "chats"
        self.items = try container.decode([Item].self, forKey: Key(stringValue: key))
        self.itemsKey = key
    }
}

/// A chat nobody answered (`missed`) or an agent declined (`refused`).
public struct LiveChatMissedOrRefused: Codable, Sendable, Equatable {
    public var type: String
    public var chat: LiveChatChat

    public init(type: String, chat: LiveChatChat) {
        self.type = type
        self.chat = chat
    }
}

/// A conversation between agents.
public struct LiveChatAgentChat: Codable, Sendable, Equatable {
    public var agents: [String]
    public var transcript: [LiveChatMessage]

    public init(agents: [String], transcript: [LiveChatMessage]) {
        self.agents = agents
        self.transcript = transcript
    }
}

/// `GET /agentChats`.
public struct LiveChatAgentChats: Codable, Sendable, Equatable {
    public var agentChats: [LiveChatAgentChat]

    public init(agentChats: [LiveChatAgentChat]) { self.agentChats = agentChats }
}
