import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/campaigns/{id}/invitation`: the style, with the auto invitations and the manual invitation window read
/// alongside it; `PUT /invitation` changes only the style and `PUT /invitation/manualInvitation` the window.
struct InvitationController {
    let store: any ConfigurationRepository
    let style = InvitationStyleRules()
    let manual = ManualInvitationRules()
    static let permission = "Manage Campaigns"

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/campaigns/:id/invitation", use: self.get)
        group.put("/campaigns/:id/invitation", use: self.updateStyle)
        group.put("/campaigns/:id/invitation/manualInvitation", use: self.updateManualInvitation)
        let security = ["basicAuth", "bearerAuth"]
        let responses: [Int: String] = [200: "Invitation", 400: "Invalid invitation", 401: "Unauthorized", 403: "Missing permission Manage Campaigns", 404: "Not found"]
        document.describe(.get, "/api/v1/livechat/campaigns/{id}/invitation", .init("Get the invitation settings", tag: "Invitation", security: security, responses: responses))
        document.describe(.put, "/api/v1/livechat/campaigns/{id}/invitation", .init("Update the invitation style", tag: "Invitation", security: security, responses: responses))
        document.describe(
            .put, "/api/v1/livechat/campaigns/{id}/invitation/manualInvitation",
            .init("Update the manual invitation window (fields left out keep their value)", tag: "Invitation", security: security, responses: responses)
        )
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try LiveChatJSON.response(try await self.invitation(in: try await self.configurationRequest(context)))
    }

    /// Only `style` is read; `autoInvitations` and `manualInvitation` in the body are ignored (spec note §6 #40).
    @Sendable func updateStyle(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let body = try await request.configurationBody(context: context).removing("autoInvitations", "manualInvitation")
        let current = try await SettingReader(rules: self.style, store: self.store).value(in: configuration)
        let style = try await self.style.validated(try self.style.merged(current, with: body), in: configuration)
        try await self.store.putSetting(try JSONValue(encoding: style), in: configuration.scope(self.style.kind))
        return try LiveChatJSON.response(try await self.invitation(in: configuration))
    }

    @Sendable func updateManualInvitation(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let body = try await request.configurationBody(context: context)
        let current = try await SettingReader(rules: self.manual, store: self.store).value(in: configuration)
        let window = try await self.manual.validated(try self.manual.merged(current, with: body), in: configuration)
        try await self.store.putSetting(try JSONValue(encoding: window), in: configuration.scope(self.manual.kind))
        return try LiveChatJSON.response(window)
    }

    func invitation(in configuration: ConfigurationRequest) async throws -> LiveChatInvitation {
        let automatic = try await self.store.items(in: configuration.scope(AutoInvitationRules.kind), visibleTo: nil).map {
            try $0.object(as: LiveChatAutoInvitation.self)
        }
        return LiveChatInvitation(
            style: try await SettingReader(rules: self.style, store: self.store).value(in: configuration).style,
            autoInvitations: automatic,
            manualInvitation: try await SettingReader(rules: self.manual, store: self.store).value(in: configuration)
        )
    }

    func configurationRequest(_ context: AuthenticatedContext) async throws -> ConfigurationRequest {
        try context.require(permission: Self.permission)
        let campaign = try await CampaignLookup(store: self.store).existingCampaignID(context: context)
        return ConfigurationRequest(siteId: context.identity.tenant, campaignId: campaign, identity: context.identity)
    }
}

/// `GET /campaigns/{id}/code`: the campaign's installation code.
struct InstallationCodeController {
    let store: any ConfigurationRepository
    let code: InstallationCode

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/campaigns/:id/code", use: self.get)
        document.describe(
            .get, "/api/v1/livechat/campaigns/{id}/code",
            .init("Get the campaign's installation code", tag: "Campaigns", security: ["basicAuth", "bearerAuth"], responses: [200: "{code}", 401: "Unauthorized", 403: "Missing permission Manage Campaigns", 404: "Not found"])
        )
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try context.require(permission: "Manage Campaigns")
        let campaign = try await CampaignLookup(store: self.store).existingCampaignID(context: context)
        return try LiveChatJSON.response(self.code.code(siteId: context.identity.tenant, campaignId: campaign))
    }
}
