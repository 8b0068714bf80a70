import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension ChatwootIntegrationAppList: ResponseEncodable {}
extension ChatwootIntegrationHook: ResponseEncodable {}

/// Integrations (`/api/v1/accounts/{account_id}/integrations`): every member lists the apps; administrators manage
/// hooks, as Chatwoot's `HookPolicy`.
struct IntegrationController {
    let access: ChatwootAccess
    let integrations: IntegrationSQLRepository

    /// `integrations_hook_create_payload` / `integrations_hook_update_payload`, flat as the swagger gives it or wrapped
    /// in `hook` as Chatwoot's dashboard sends it. `app_id` is the app's name (`dialogflow`); `status` 0/1 or its name.
    struct Input: Codable, Sendable {
        /// The members of the body, at the top or under `hook`.
        struct Fields: Codable, Sendable {
            var appId: JSONValue?
            var inboxId: Int?
            var status: JSONValue?
            var settings: JSONValue?

            enum CodingKeys: String, CodingKey {
                case status, settings
                case appId = "app_id"
                case inboxId = "inbox_id"
            }
        }

        var hook: Fields?
        var appId: JSONValue?
        var inboxId: Int?
        var status: JSONValue?
        var settings: JSONValue?

        enum CodingKeys: String, CodingKey {
            case hook, status, settings
            case appId = "app_id"
            case inboxId = "inbox_id"
        }

        func changes() throws -> IntegrationSQLRepository.Changes {
            let app: String? =
                switch self.hook?.appId ?? self.appId {
                case .string(let name): name
                case .number(let number): ChatwootRows.text(number: number)
                case nil, .null: nil
                default: throw ServiceError(.badRequest, message: "app_id must be a string", field: "app_id")
                }
            let settings = self.hook?.settings ?? self.settings
            if let settings {
                guard case .object = settings else { throw IntegrationSQLRepository.invalidSettings }
            }
            return IntegrationSQLRepository.Changes(
                appID: app, inboxID: self.hook?.inboxId ?? self.inboxId, status: try Self.status(self.hook?.status ?? self.status),
                settings: settings)
        }

        /// Chatwoot's `status` enum: `disabled` (0) or `enabled` (1), by number or name; anything else Rails' 422.
        static func status(_ value: JSONValue?) throws -> String? {
            switch value {
            case nil, .null: return nil
            case .number(0), .string("disabled"): return "disabled"
            case .number(1), .string("enabled"): return "enabled"
            case .number(let number): throw Self.invalidStatus(ChatwootRows.text(number: number))
            case .string(let text): throw Self.invalidStatus(text)
            default: throw ServiceError(.badRequest, message: "status must be 0 or 1", field: "status")
            }
        }

        private static func invalidStatus(_ text: String) -> ServiceError {
            ServiceError(.unprocessableContent, message: "'\(text)' is not a valid status", field: "status")
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Integrations")
            .get("/{account_id}/integrations/apps", "List all the Integrations", returns: ChatwootIntegrationAppList.self, use: self.apps)
            .post(
                "/{account_id}/integrations/hooks", "Create an integration hook", body: Input.self, returns: ChatwootIntegrationHook.self,
                errors: [422: "Invalid"], use: self.create
            )
            .patch(
                "/{account_id}/integrations/hooks/{hook_id}", "Update an Integration Hook", body: Input.self,
                returns: ChatwootIntegrationHook.self, errors: [422: "Invalid"], use: self.update
            )
            .delete("/{account_id}/integrations/hooks/{hook_id}", "Delete an Integration Hook", returns: EmptyBody.self, use: self.delete)
    }

    /// The catalogue with the account's hooks.
    @Sendable func apps(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootIntegrationAppList {
        let caller = try await self.access.member(context)
        return ChatwootIntegrationAppList(
            payload: try await self.integrations.apps(account: caller.accountID, administrator: caller.isAdministrator))
    }

    /// Connects an app to the account (or to one of its inboxes).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootIntegrationHook {
        let caller = try await self.access.administrator(context)
        return try await self.integrations.create(account: caller.accountID, try input.changes())
    }

    /// Turns a hook on or off, or changes its settings.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootIntegrationHook {
        let caller = try await self.access.administrator(context)
        let id = try ChatwootAccess.id(context, "hook_id")
        return try await self.integrations.update(id, account: caller.accountID, try input.changes())
    }

    /// Disconnects an app.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.integrations.delete(try ChatwootAccess.id(context, "hook_id"), account: caller.accountID)
        return EmptyBody()
    }
}
