import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The body every Live Chat webhook delivery carries (spec note §5.17).
struct LiveChatWebhookPayload<Data: Encodable & Sendable>: Encodable, Sendable {
    var event: String
    var siteId: Int
    var time: String
    var data: Data
}

/// Puts a Live Chat event in the outbox once per webhook of the site subscribed to it, in the transaction of
/// the change, so an event is sent if and only if its change is committed.
struct LiveChatWebhooks: Sendable {
    let store: any ConfigurationRepository
    let agents: any LiveChatAgentRepository
    let outbox: Outbox

    /// Reads what sending `event` needs, before the transaction opens; nil when no webhook of the site wants it,
    /// so a site without webhooks pays nothing more.
    func prepare(_ event: LiveChatWebhook.Event, siteId: String) async throws -> PreparedEvent? {
        let subscriptions = try await self.store.items(in: ConfigurationScope(siteId: siteId, kind: WebhookRules.kind), visibleTo: nil).compactMap {
            try? $0.body.decode(as: LiveChatWebhook.self)
        }.filter { $0.event == event && $0.targetUrl != nil }
        guard !subscriptions.isEmpty else { return nil }
        let presenter = try await ChatPresenter(siteId: siteId, agents: self.agents, store: self.store, time: try HistoryTime(timezone: nil))
        return PreparedEvent(event: event, siteId: siteId, subscriptions: subscriptions, presenter: presenter, outbox: self.outbox)
    }
}

/// An event about to be sent: its subscriptions and the presenter that writes its data as the history does.
struct PreparedEvent: Sendable {
    let event: LiveChatWebhook.Event
    let siteId: String
    let subscriptions: [LiveChatWebhook]
    let presenter: ChatPresenter
    let outbox: Outbox

    func enqueue(_ data: some Encodable & Sendable, at milliseconds: Int64, on database: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = try encoder.encode(
            LiveChatWebhookPayload(
                event: self.event.rawValue, siteId: Int(self.siteId) ?? 0, time: self.presenter.time.format(milliseconds), data: data)
        )
        for subscription in self.subscriptions {
            try await self.outbox.enqueue(
                OutboxMessage(
                    tenant: self.siteId, eventType: self.event.rawValue, targetURL: subscription.targetUrl ?? "", payload: payload,
                    secret: subscription.secret,
                    headers: ["X-Comm100-Event": self.event.rawValue]
                ),
                on: database
            )
        }
    }
}
