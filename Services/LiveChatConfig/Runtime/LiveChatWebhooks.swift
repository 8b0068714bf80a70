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
    let outbox: Outbox

    /// The site's webhooks for `event`; read before the transaction opens.
    func subscriptions(_ event: LiveChatWebhook.Event, siteId: String) async throws -> [LiveChatWebhook] {
        try await self.store.items(in: ConfigurationScope(siteId: siteId, kind: WebhookRules.kind), visibleTo: nil).compactMap {
            try? $0.body.decode(as: LiveChatWebhook.self)
        }.filter { $0.event == event }
    }

    func enqueue(
        _ event: LiveChatWebhook.Event, to subscriptions: [LiveChatWebhook], siteId: String, data: some Encodable & Sendable, at time: String,
        on database: any SQLDatabase
    ) async throws {
        guard !subscriptions.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = try encoder.encode(LiveChatWebhookPayload(event: event.rawValue, siteId: Int(siteId) ?? 0, time: time, data: data))
        for subscription in subscriptions {
            guard let target = subscription.targetUrl else { continue }
            try await self.outbox.enqueue(
                OutboxMessage(tenant: siteId, eventType: event.rawValue, targetURL: target, payload: payload, secret: subscription.secret, headers: ["X-Comm100-Event": event.rawValue]),
                on: database
            )
        }
    }
}
