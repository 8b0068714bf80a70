import Hummingbird
import ServiceKit
import WireModels

/// `/campaigns/{id}/invitation`: the style, with the auto invitations and the manual invitation window read
/// alongside it; `PUT /invitation` changes only the style (`PUT /invitation/manualInvitation`, a settings route, the
/// window).
struct InvitationController {
    let store: ConfigurationSQLRepository
    let style = InvitationStyleRules()
    let manual = ManualInvitationRules()
    static let permission = "Manage Campaigns"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Invitation")
        let errors: [Int: String] = [400: "Invalid invitation", 403: "Missing permission Manage Campaigns", 404: "Not found"]
        api.get("/campaigns/{id}/invitation", "Get the invitation settings", returns: LiveChatInvitation.self, errors: errors) { _, context in
            try context.require(permission: Self.permission)
            return try await self.invitation(in: try await context.configurationRequest(store: self.store, campaign: true))
        }
        api.put(
            "/campaigns/{id}/invitation", "Update the invitation style", body: ConfigurationBody<LiveChatInvitation>.self,
            returns: LiveChatInvitation.self,
            errors: errors, use: self.updateStyle
        )
    }

    /// Only `style` is read; `autoInvitations` and `manualInvitation` in the body are ignored (spec note §6 #40).
    @Sendable func updateStyle(
        _ request: Request, context: AuthenticatedContext, body: ConfigurationBody<LiveChatInvitation>
    ) async throws -> LiveChatInvitation {
        try context.require(permission: Self.permission)
        return try await context.changingConfiguration(store: self.store, campaign: true) { configuration in
            let current = try await SettingReader(rules: self.style, store: self.store).value(in: configuration)
            let style = try await self.style.validated(
                try self.style.merged(current, with: body.json.removing("autoInvitations", "manualInvitation")), in: configuration)
            try await self.store.putSetting(style, in: configuration.scope(self.style.kind))
            return try await self.invitation(in: configuration)
        }
    }

    func invitation(in configuration: ConfigurationRequest) async throws -> LiveChatInvitation {
        let automatic = try await self.store.items(LiveChatAutoInvitation.self, in: configuration.scope(AutoInvitationRules.kind))
        return LiveChatInvitation(
            style: try await SettingReader(rules: self.style, store: self.store).value(in: configuration).style,
            autoInvitations: automatic,
            manualInvitation: try await SettingReader(rules: self.manual, store: self.store).value(in: configuration)
        )
    }

}
