import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// Serves one settings document (a site's or a campaign's) with GET and a partial PUT, at the seed's path
/// and its spelling variants. A setting nobody has written answers with its defaults.
struct SettingController<Rules: SettingRules> {
    let rules: Rules
    let store: any ConfigurationRepository
    /// Below `/api/v1/livechat`, canonical first; `/campaigns/:id/...` paths belong to a campaign.
    let paths: [String]
    let tag: String

    var isCampaignSetting: Bool { self.paths[0].hasPrefix("/campaigns/:id/") }

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        for (index, path) in self.paths.enumerated() {
            group.get(RouterPath(path), use: self.get)
            group.put(RouterPath(path), use: self.update)
            let alias = index == 0 ? "" : " (spelling variant)"
            var responses: [Int: String] = [200: self.rules.title, 401: "Unauthorized", 404: "Not found"]
            if let permission = self.rules.permission { responses[403] = "Missing permission \(permission)" }
            let route = "/api/v1/livechat" + ItemCollectionController<CampaignRules>.openAPIPath(path)
            let security = ["basicAuth", "bearerAuth"]
            document.describe(.get, route, .init("Get the \(self.rules.title.lowercased())" + alias, tag: self.tag, security: security, responses: responses))
            responses[400] = "Invalid \(self.rules.title.lowercased())"
            document.describe(
                .put, route, .init("Update the \(self.rules.title.lowercased()) (fields left out keep their value)" + alias, tag: self.tag, security: security, responses: responses)
            )
        }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        return try LiveChatJSON.response(try await self.rules.presented(try await self.current(in: configuration), in: configuration))
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let body = self.rules.takesArray ? try await request.configurationArray(context: context) : try await request.configurationBody(context: context)
        let patch = self.rules.normalized(body)
        // The patch applies to what a GET shows, so values kept elsewhere (a switch in the site config) are current.
        let shown = try await self.rules.presented(try await self.current(in: configuration), in: configuration)
        let setting = try await self.rules.validated(try self.rules.merged(shown, with: patch), in: configuration)
        try await self.store.putSetting(try JSONValue(encoding: setting), in: configuration.scope(self.rules.kind))
        try await self.rules.didSave(setting, in: configuration)
        return try LiveChatJSON.response(try await self.rules.presented(setting, in: configuration))
    }

    func current(in configuration: ConfigurationRequest) async throws -> Rules.Setting {
        try await SettingReader(rules: self.rules, store: self.store).value(in: configuration)
    }

    func configurationRequest(_ context: AuthenticatedContext) async throws -> ConfigurationRequest {
        if let permission = self.rules.permission { try context.require(permission: permission) }
        var configuration = ConfigurationRequest(siteId: context.identity.tenant, campaignId: 0, identity: context.identity)
        if self.isCampaignSetting { configuration.campaignId = try await CampaignLookup(store: self.store).existingCampaignID(context: context) }
        return configuration
    }
}

/// Reads and writes settings documents outside their controller (defaults included), for rules that
/// consult each other: the routing's department gate reads the site config.
struct SettingReader<Rules: SettingRules>: Sendable {
    let rules: Rules
    let store: any ConfigurationRepository

    func value(in configuration: ConfigurationRequest) async throws -> Rules.Setting {
        if let stored = try await self.store.setting(in: configuration.scope(self.rules.kind)) { return try stored.decode(as: Rules.Setting.self) }
        return try await self.rules.defaultValue(in: configuration)
    }
}
