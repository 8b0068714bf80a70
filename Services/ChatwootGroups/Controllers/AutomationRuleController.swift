import Hummingbird
import ServiceKit
import WireModels

extension ChatwootAutomationRuleList: ResponseEncodable {}
extension ChatwootAutomationRuleEnvelope: ResponseEncodable {}

/// Automation rules (`/api/v1/accounts/{account_id}/automation_rules`): administrators only, as Chatwoot's
/// `AutomationRulePolicy`; every change is audited.
struct AutomationRuleController {
    let access: ChatwootAccess
    let rules: AutomationRuleSQLRepository

    /// `automation_rule_create_update_payload`, flat or wrapped in `automation_rule` (Rails' parameter wrapping).
    struct Input: Codable, Sendable {
        /// The members, at the top or under `automation_rule`.
        struct Fields: Codable, Sendable {
            var name: String?
            var description: String?
            var eventName: String?
            var active: Bool?
            var conditions: [JSONValue]?
            var actions: [JSONValue]?

            enum CodingKeys: String, CodingKey {
                case name, description, active, conditions, actions
                case eventName = "event_name"
            }
        }

        var automationRule: Fields?
        var name: String?
        var description: String?
        var eventName: String?
        var active: Bool?
        var conditions: [JSONValue]?
        var actions: [JSONValue]?

        enum CodingKeys: String, CodingKey {
            case name, description, active, conditions, actions
            case eventName = "event_name"
            case automationRule = "automation_rule"
        }

        var changes: AutomationRuleSQLRepository.Changes {
            let nested = self.automationRule
            return AutomationRuleSQLRepository.Changes(
                name: self.name ?? nested?.name, description: self.description ?? nested?.description,
                eventName: self.eventName ?? nested?.eventName, active: self.active ?? nested?.active,
                conditions: self.conditions ?? nested?.conditions, actions: self.actions ?? nested?.actions)
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Automation Rule")
            .get(
                "/{account_id}/automation_rules", "List all automation rules in an account", returns: ChatwootAutomationRuleList.self,
                use: self.list
            )
            .post(
                "/{account_id}/automation_rules", "Add a new automation rule", body: Input.self, returns: ChatwootAutomationRuleEnvelope.self,
                errors: [422: "Invalid"], use: self.create
            )
            .get(
                "/{account_id}/automation_rules/{id}", "Get a automation rule details", returns: ChatwootAutomationRuleEnvelope.self, use: self.get
            )
            .patch(
                "/{account_id}/automation_rules/{id}", "Update automation rule in Account", body: Input.self,
                returns: ChatwootAutomationRuleEnvelope.self, errors: [422: "Invalid"], use: self.update
            )
            .delete("/{account_id}/automation_rules/{id}", "Remove a automation rule from account", returns: EmptyBody.self, use: self.delete)
    }

    /// The account's rules.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAutomationRuleList {
        let caller = try await self.access.administrator(context)
        return ChatwootAutomationRuleList(payload: try await self.rules.list(account: caller.accountID))
    }

    /// Adds a rule.
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootAutomationRuleEnvelope {
        let caller = try await self.access.administrator(context)
        return ChatwootAutomationRuleEnvelope(
            payload: try await self.rules.create(account: caller.accountID, input.changes, by: WebhookController.actor(caller, context)))
    }

    /// One rule.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAutomationRuleEnvelope {
        let caller = try await self.access.administrator(context)
        return ChatwootAutomationRuleEnvelope(payload: try await self.rules.get(try ChatwootAccess.id(context, "id"), account: caller.accountID))
    }

    /// Changes a rule; conditions and actions, when given, replace the old ones.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootAutomationRuleEnvelope {
        let caller = try await self.access.administrator(context)
        return ChatwootAutomationRuleEnvelope(
            payload: try await self.rules.update(
                try ChatwootAccess.id(context, "id"), account: caller.accountID, input.changes, by: WebhookController.actor(caller, context)))
    }

    /// Removes a rule (`head :ok`).
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.rules.delete(try ChatwootAccess.id(context, "id"), account: caller.accountID, by: WebhookController.actor(caller, context))
        return EmptyBody()
    }
}
