import Foundation
import ServiceKit
import WireModels

/// The body every Live Chat webhook delivery carries (spec note §5.17).
struct LiveChatWebhookPayload<Data: Encodable & Sendable>: Encodable, Sendable {
    var event: String
    var siteId: Int
    var time: String
    var data: Data
}

/// An event about to be sent: the site's webhooks subscribed to it, and the presenter that writes its data as the
/// history does. It goes in the outbox once per webhook, in the transaction of the change, so it is sent if and
/// only if its change is committed.
struct PreparedEvent: Sendable {
    let event: LiveChatWebhook.Event
    let siteId: String
    let subscriptions: [LiveChatWebhook]
    let presenter: ChatPresenter

    func enqueue(_ data: some Encodable & Sendable, at milliseconds: Int64, on tx: Tx) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = try encoder.encode(
            LiveChatWebhookPayload(
                event: self.event.rawValue, siteId: Int(self.siteId) ?? 0, time: self.presenter.time.format(milliseconds), data: data)
        )
        for subscription in self.subscriptions {
            try await tx.outbox.enqueue(
                OutboxMessage(
                    tenant: self.siteId, eventType: self.event.rawValue, targetURL: subscription.targetUrl ?? "", payload: payload,
                    secret: subscription.secret, headers: ["X-Comm100-Event": self.event.rawValue]
                )
            )
        }
    }
}
