import Hummingbird
import ServiceKit
import WireModels

/// `GET /campaigns/{id}/code`: the campaign's installation code (permission `Manage Campaigns`).
struct InstallationCodeController {
    let store: ConfigurationSQLRepository
    let code: InstallationCode

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.tagged("Campaigns").get(
            "/campaigns/{id}/code", "Get the campaign's installation code", returns: LiveChatInstallationCode.self,
            errors: [403: "Missing permission Manage Campaigns", 404: "Not found"], use: self.get
        )
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatInstallationCode {
        try context.require(permission: InvitationController.permission)
        let configuration = try await context.configurationRequest(store: self.store, campaign: true)
        return self.code.code(siteId: configuration.siteId, campaignId: configuration.campaignId)
    }
}
