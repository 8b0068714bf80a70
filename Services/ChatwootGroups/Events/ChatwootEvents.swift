import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The events Chatwoot sends out (`Webhook::ALLOWED_WEBHOOK_EVENTS`, plus the two only agent bots hear).
enum ChatwootEvent: String, CaseIterable, Codable, Sendable {
    case conversationCreated = "conversation_created"
    case conversationStatusChanged = "conversation_status_changed"
    case conversationUpdated = "conversation_updated"
    case contactCreated = "contact_created"
    case contactUpdated = "contact_updated"
    case messageCreated = "message_created"
    case messageUpdated = "message_updated"
    case webwidgetTriggered = "webwidget_triggered"
    case inboxCreated = "inbox_created"
    case inboxUpdated = "inbox_updated"
    case conversationTypingOn = "conversation_typing_on"
    case conversationTypingOff = "conversation_typing_off"
    /// Agent bots only (Chatwoot's `AgentBotListener`): a conversation of the bot's inbox reopened or resolved.
    case conversationOpened = "conversation_opened"
    case conversationResolved = "conversation_resolved"
    /// Realtime only (Chatwoot's `ActionCableListener`): the contact saw the conversation (`contact_last_seen_at` changed).
    case conversationRead = "conversation_read"
    /// Realtime only: a conversation moved to another contact (a contact merge).
    case conversationContactChanged = "conversation_contact_changed"

    /// What an account webhook may subscribe to.
    static let subscribable: [ChatwootEvent] = allCases.filter(\.reachesAccountWebhooks)

    /// What a webhook created without `subscriptions` gets (Chatwoot's column default).
    static let defaultSubscriptions: [ChatwootEvent] = [
        .conversationStatusChanged, .conversationUpdated, .conversationCreated, .contactCreated, .contactUpdated, .messageCreated,
        .messageUpdated, .webwidgetTriggered,
    ]

    /// Account webhooks hear it when subscribed (not the bots' own events, nor what only `/cable` hears).
    var reachesAccountWebhooks: Bool {
        switch self {
        case .conversationOpened, .conversationResolved, .conversationRead, .conversationContactChanged: false
        default: true
        }
    }

    /// The API channel's `webhook_url` hears it too (Chatwoot's `deliver_webhook_payloads`: an inbox's events, not a
    /// contact's or an inbox's own).
    var reachesAPIInbox: Bool {
        switch self {
        case .conversationCreated, .conversationStatusChanged, .conversationUpdated, .messageCreated, .messageUpdated, .webwidgetTriggered,
            .conversationTypingOn, .conversationTypingOff:
            true
        default: false
        }
    }

    /// The inbox's agent bot hears it at its `outgoing_url` (Chatwoot's `AgentBotListener`).
    var reachesAgentBot: Bool {
        switch self {
        case .messageCreated, .messageUpdated, .webwidgetTriggered, .conversationOpened, .conversationResolved: true
        default: false
        }
    }
}

/// Chatwoot's event fan-out: inside the caller's write transaction, one outbox event (delivered at least once, signed,
/// retried, attempts readable) per account webhook subscribed to the event, plus the API inbox's `webhook_url` and the
/// inbox's agent bot where Chatwoot sends them. The body is the event's payload with `event` (and `changed_attributes`)
/// merged in, as Chatwoot's `WebhookListener` builds it.
enum ChatwootEvents {
    /// One changed attribute as Chatwoot lists it: `{"<name>": {"previous_value": ..., "current_value": ...}}`.
    struct Change: Sendable, Equatable {
        var name: String
        var previous: JSONValue
        var current: JSONValue

        init(_ name: String, from previous: JSONValue, to current: JSONValue) {
            self.name = name
            self.previous = previous
            self.current = current
        }
    }

    /// Writes `event` for `account` (and, for an inbox's events, `inbox`) on `tx`; returns the outbox event ids.
    /// `payload` is the object's `webhook_data` (see ``ChatwootEventPayloads``); it must encode as a JSON object.
    @discardableResult
    static func publish(
        _ event: ChatwootEvent, payload: some Encodable, changes: [Change]? = nil, account: Int, inbox: Int? = nil, tx: Tx
    ) async throws -> [String] {
        let members = try self.members(payload)
        let body = try self.body(event, members: members, changes: changes)
        // The realtime channel (`/cable`) of every instance hears it once the transaction has committed (decisions 338, 361).
        try await ChatwootCable.publish(
            ChatwootCable.Note(event: event, account: account, inbox: inbox, payload: members, changed: changes?.map(\.name) ?? []), tx: tx)
        var targets: [(url: String, secret: String?)] = []
        if event.reachesAccountWebhooks {
            let hooks = try await tx.sql.select().columns("url", "subscriptions", "secret").from("webhooks")
                .where("account_id", .equal, account).where("webhook_type", .equal, "account_type").orderBy("id")
                .all(SubscriberRow.self)
            for hook in hooks where hook.subscribed(to: event) { targets.append((hook.url, hook.secret)) }
        }
        if let inbox, event.reachesAPIInbox || event.reachesAgentBot {
            let row = try await tx.sql.select().column(SQLColumn("channel_type", table: "inboxes"))
                .column(SQLColumn("settings", table: "inboxes")).column(SQLColumn("hmac_token", table: "inboxes"))
                .column(SQLColumn("outgoing_url", table: "agent_bots"))
                .from("inboxes").join(
                    "agent_bots", method: SQLJoinMethod.left, on: SQLColumn("id", table: "agent_bots"), .equal,
                    SQLColumn("agent_bot_id", table: "inboxes")
                )
                .where(SQLColumn("id", table: "inboxes"), .equal, SQLBind(inbox)).where(
                    SQLColumn("account_id", table: "inboxes"), .equal, SQLBind(account)
                )
                .first(InboxTargetRow.self)
            if let row {
                if event.reachesAPIInbox, row.channelType == "Channel::Api", let url = row.webhookURL { targets.append((url, row.hmacToken)) }
                if event.reachesAgentBot, let url = row.outgoingUrl, !url.isEmpty { targets.append((url, nil)) }
            }
        }
        var ids: [String] = []
        for target in targets {
            ids.append(
                try await tx.outbox.enqueue(
                    OutboxMessage(tenant: String(account), eventType: event.rawValue, targetURL: target.url, payload: body, secret: target.secret)))
        }
        // Automation rules on the event run once it has committed (lane A).
        try await ChatwootAutomation.enqueue(event, body: body, account: account, tx: tx)
        return ids
    }

    /// Realtime only: what Chatwoot broadcasts on `/cable` and sends to no webhook nor rule (activity messages).
    static func announce(_ event: ChatwootEvent, payload: some Encodable, account: Int, inbox: Int?, tx: Tx) async throws {
        try await ChatwootCable.publish(
            ChatwootCable.Note(event: event, account: account, inbox: inbox, payload: try self.members(payload), changed: []), tx: tx)
    }

    /// The delivered body: the payload's members, `event`, and `changed_attributes` when given.
    static func body(_ event: ChatwootEvent, payload: some Encodable, changes: [Change]?) throws -> Data {
        try self.body(event, members: try self.members(payload), changes: changes)
    }

    /// The payload's members; it must encode as a JSON object.
    static func members(_ payload: some Encodable) throws -> [String: JSONValue] {
        let encoded = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(payload))
        guard let members = encoded.object else {
            throw EncodingError.invalidValue(payload, .init(codingPath: [], debugDescription: "not an object"))
        }
        return members
    }

    private static func body(_ event: ChatwootEvent, members: [String: JSONValue], changes: [Change]?) throws -> Data {
        var members = members
        members["event"] = .string(event.rawValue)
        if let changes {
            members["changed_attributes"] = .array(
                changes.map { .object([$0.name: .object(["previous_value": $0.previous, "current_value": $0.current])]) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JSONValue.object(members))
    }

    /// An account webhook as the fan-out reads it.
    private struct SubscriberRow: Decodable {
        var url: String
        var subscriptions: String
        var secret: String?

        func subscribed(to event: ChatwootEvent) -> Bool {
            ((try? JSONDecoder().decode([String].self, from: Data(self.subscriptions.utf8))) ?? []).contains(event.rawValue)
        }
    }

    /// An inbox with its channel settings and agent bot.
    private struct InboxTargetRow: Decodable {
        var channelType: String
        var settings: String
        var hmacToken: String?
        var outgoingUrl: String?

        /// The API channel's `webhook_url`, when set.
        var webhookURL: String? {
            let settings = (try? JSONDecoder().decode(JSONValue.self, from: Data(self.settings.utf8)))?.object
            guard case .string(let url)? = settings?["webhook_url"], !url.isEmpty else { return nil }
            return url
        }
    }
}
