/// A webhook subscription (swagger `webhook`, Chatwoot's `_webhook` partial): account webhooks receive the events they
/// subscribe to; `secret` signs each delivery (Standard Webhooks headers).
public struct ChatwootWebhook: Codable, Sendable, Equatable {
    /// The inbox a webhook names (Chatwoot shows it when `inbox_id` is set).
    public struct Inbox: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var channelType: String

        public init(id: Int, name: String, channelType: String) {
            self.id = id
            self.name = name
            self.channelType = channelType
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case channelType = "channel_type"
        }
    }

    public var id: Int
    public var name: String?
    public var url: String
    public var accountId: Int
    public var subscriptions: [String]
    public var inbox: Inbox?
    public var secret: String?

    public init(id: Int, name: String?, url: String, accountId: Int, subscriptions: [String], inbox: Inbox?, secret: String?) {
        self.id = id
        self.name = name
        self.url = url
        self.accountId = accountId
        self.subscriptions = subscriptions
        self.inbox = inbox
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, subscriptions, inbox, secret
        case accountId = "account_id"
    }
}

/// `GET /webhooks` as Chatwoot answers it: `{"payload": {"webhooks": [...]}}`.
public struct ChatwootWebhookList: Codable, Sendable, Equatable {
    public struct Payload: Codable, Sendable, Equatable {
        public var webhooks: [ChatwootWebhook]
    }

    public var payload: Payload

    public init(webhooks: [ChatwootWebhook]) {
        self.payload = Payload(webhooks: webhooks)
    }
}

/// One webhook as Chatwoot's create and update answer it: `{"payload": {"webhook": {...}}}`.
public struct ChatwootWebhookEnvelope: Codable, Sendable, Equatable {
    public struct Payload: Codable, Sendable, Equatable {
        public var webhook: ChatwootWebhook
    }

    public var payload: Payload

    public init(webhook: ChatwootWebhook) {
        self.payload = Payload(webhook: webhook)
    }
}
