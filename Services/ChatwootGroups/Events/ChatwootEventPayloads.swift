import Foundation
import ServiceKit
import WireModels

/// The payloads Chatwoot's models give their events (`webhook_data`, `push_event_data`), in one place: the fan-out
/// (``ChatwootEvents/publish(_:payload:changes:account:inbox:tx:)``) merges `event` into them. They start with what the
/// tables hold now and grow with them; members Chatwoot sends as `null` are sent as `null`.
enum ChatwootEventPayloads {
    /// `account.webhook_data`, `inbox.webhook_data`: `{id, name}`.
    struct Reference: Codable, Sendable, Equatable {
        var id: Int
        var name: String
    }

    /// `inbox_created` / `inbox_updated`: the inbox's `webhook_data`.
    static func inbox(id: Int, name: String) -> Reference { Reference(id: id, name: name) }

    /// `contact.webhook_data` (contact_created, contact_updated; also a message's `sender` when a contact sent it).
    struct Contact: Codable, Sendable, Equatable {
        var id: Int
        var name: String?
        var avatar: String?
        var thumbnail: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var additionalAttributes: JSONValue
        var customAttributes: JSONValue
        var blocked: Bool
        var account: Reference
        var type = "contact"

        enum CodingKeys: String, CodingKey {
            case id, name, avatar, thumbnail, email, identifier, blocked, account, type
            case phoneNumber = "phone_number"
            case additionalAttributes = "additional_attributes"
            case customAttributes = "custom_attributes"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            // Chatwoot sends these keys with null rather than leaving them out.
            for (key, value) in [
                (CodingKeys.name, self.name), (.avatar, self.avatar), (.thumbnail, self.thumbnail), (.email, self.email),
                (.phoneNumber, self.phoneNumber), (.identifier, self.identifier),
            ] {
                try container.encode(value, forKey: key)
            }
            try container.encode(self.additionalAttributes, forKey: .additionalAttributes)
            try container.encode(self.customAttributes, forKey: .customAttributes)
            try container.encode(self.blocked, forKey: .blocked)
            try container.encode(self.account, forKey: .account)
            try container.encode(self.type, forKey: .type)
        }
    }

    /// `user.webhook_data` (a message's `sender` or a conversation's assignee when an agent).
    struct User: Codable, Sendable, Equatable {
        var id: Int
        var name: String
        var email: String
        var availableName: String?
        var avatarUrl: String?
        var type = "user"
        var availabilityStatus: String?

        enum CodingKeys: String, CodingKey {
            case id, name, email, type
            case availableName = "available_name"
            case avatarUrl = "avatar_url"
            case availabilityStatus = "availability_status"
        }
    }

    /// `conversation_typing_on`/`_off`: the conversation, who types (an agent or the contact), and whether it is a
    /// private note (Chatwoot's `ActionCableListener` and `WebhookListener#handle_typing_status`).
    struct Typing: Encodable {
        var conversation: ChatwootConversation?
        var user: ChatwootMessageSender?
        var isPrivate: Bool

        enum CodingKeys: String, CodingKey {
            case conversation, user
            case isPrivate = "is_private"
        }
    }

    /// Whether a message goes to webhooks (`Message#webhook_sendable?`): incoming, outgoing and template messages do,
    /// activity messages do not.
    static func isWebhookSendable(messageType: String) -> Bool {
        ["incoming", "outgoing", "template"].contains(messageType)
    }
}
