import Hummingbird
import ServiceKit
import WireModels

extension ChatwootWebhookList: ResponseEncodable {}
extension ChatwootWebhookEnvelope: ResponseEncodable {}

/// Webhooks (`/api/v1/accounts/{account_id}/webhooks`): administrators only, as Chatwoot's `WebhookPolicy`.
struct WebhookController {
    let access: ChatwootAccess
    let webhooks: WebhookSQLRepository

    /// `webhook_create_update_payload`, flat as the swagger gives it or wrapped in `webhook` as Chatwoot's dashboard
    /// sends it (Rails' parameter wrapping accepts both).
    struct Input: Codable, Sendable {
        /// The members of the body, at the top or under `webhook`.
        struct Fields: Codable, Sendable {
            var url: String?
            var name: String?
            var subscriptions: [String]?
            var inboxId: Int?

            enum CodingKeys: String, CodingKey {
                case url, name, subscriptions
                case inboxId = "inbox_id"
            }
        }

        var webhook: Fields?
        var url: String?
        var name: String?
        var subscriptions: [String]?
        var inboxId: Int?

        enum CodingKeys: String, CodingKey {
            case webhook, url, name, subscriptions
            case inboxId = "inbox_id"
        }

        var changes: WebhookSQLRepository.Changes {
            WebhookSQLRepository.Changes(
                url: self.webhook?.url ?? self.url, name: self.webhook?.name ?? self.name,
                subscriptions: self.webhook?.subscriptions ?? self.subscriptions, inboxID: self.webhook?.inboxId ?? self.inboxId)
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Webhooks")
            .get("/{account_id}/webhooks", "List all webhooks", returns: ChatwootWebhookList.self, use: self.list)
            .post(
                "/{account_id}/webhooks", "Add a webhook", body: Input.self, returns: ChatwootWebhookEnvelope.self, errors: [422: "Invalid"],
                use: self.create
            )
            .patch(
                "/{account_id}/webhooks/{webhook_id}", "Update a webhook object", body: Input.self, returns: ChatwootWebhookEnvelope.self,
                errors: [422: "Invalid"], use: self.update
            )
            .delete("/{account_id}/webhooks/{webhook_id}", "Delete a webhook", returns: EmptyBody.self, use: self.delete)
    }

    /// The account's webhooks.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootWebhookList {
        let caller = try await self.access.administrator(context)
        return ChatwootWebhookList(webhooks: try await self.webhooks.list(account: caller.accountID))
    }

    /// Subscribes a URL to events.
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootWebhookEnvelope {
        let caller = try await self.access.administrator(context)
        return ChatwootWebhookEnvelope(
            webhook: try await self.webhooks.create(account: caller.accountID, input.changes, by: Self.actor(caller, context)))
    }

    /// Changes a webhook's URL, name, events or inbox.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootWebhookEnvelope {
        let caller = try await self.access.administrator(context)
        let id = try ChatwootAccess.id(context, "webhook_id")
        return ChatwootWebhookEnvelope(
            webhook: try await self.webhooks.update(id, account: caller.accountID, input.changes, by: Self.actor(caller, context)))
    }

    /// Removes a webhook; events already written are still delivered.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.webhooks.delete(try ChatwootAccess.id(context, "webhook_id"), account: caller.accountID, by: Self.actor(caller, context))
        return EmptyBody()
    }

    /// Who the audit log names for a change.
    static func actor(_ caller: ChatwootCaller, _ context: AuthenticatedContext) -> ChatwootAudit.Actor {
        ChatwootAudit.Actor(userID: caller.userID, requestID: context.requestID)
    }
}
