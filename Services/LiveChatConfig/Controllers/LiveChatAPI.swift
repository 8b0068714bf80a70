import Hummingbird
import ServiceKit
import WireModels

/// Every route of the Live Chat API and its extensions, with the repositories and rules behind them.
struct LiveChatAPI {
    let foundation: ServiceFoundation
    let settings: LiveChatSettings
    let credentials: any AgentCredentialRepository

    var store: ConfigurationSQLRepository { ConfigurationSQLRepository(database: self.foundation.database) }
    var agents: LiveChatAgentSQLRepository { LiveChatAgentSQLRepository(database: self.foundation.database) }

    /// The chat runtime the visitor, console and history routes share.
    var runtime: ChatRuntime {
        ChatRuntime(
            database: self.foundation.database, store: self.store, agents: self.agents, bans: BanSQLRepository(database: self.foundation.database),
            configs: SettingReader(rules: SiteConfigRules(), store: self.store), webhooks: LiveChatWebhooks(store: self.store, agents: self.agents, outbox: self.foundation.outbox),
            clock: self.foundation.clock
        )
    }

    func addRoutes(to api: RouterGroup<AuthenticatedContext>) {
        let document = self.foundation.document
        let endpoints = Endpoints(
            api, prefix: "/api/v1/livechat", tag: "Live Chat", security: ["basicAuth", "bearerAuth"], errors: [401: "Unauthorized"], document: document
        )
        let database = self.foundation.database
        let store = self.store
        let agents = self.agents
        let statuses = CustomAwayStatusSQLRepository(database: database)
        let configs = SettingReader(rules: SiteConfigRules(), store: store)
        let targets = RouteTargets(store: store, agents: agents, configs: configs)

        // Campaigns and their settings.
        let campaignSettings = CampaignSettingsProvisioner(store: store, targets: targets)
        let campaigns = CampaignRules(store: store, configs: configs, provisionSettings: campaignSettings.provision)
        ItemCollectionController(rules: campaigns, store: store, paths: ["/campaigns"], operations: [.list, .create, .update, .delete], extensions: [.get], tag: "Campaigns")
            .addRoutes(to: api, document: document)
        InstallationCodeController(store: store, code: InstallationCode(publicURL: self.settings.publicURL)).addRoutes(to: api, document: document)
        SettingController(rules: ChatButtonRules(), store: store, paths: ["/campaigns/:id/chatButton"], tag: "Chat button").addRoutes(to: api, document: document)
        SettingController(rules: ChatWindowRules(), store: store, paths: ["/campaigns/:id/chatWindow"], tag: "Chat window").addRoutes(to: api, document: document)
        SettingController(rules: PreChatRules(), store: store, paths: ["/campaigns/:id/preChat", "/campaigns/:id/prechat"], tag: "Pre-chat")
            .addRoutes(to: api, document: document)
        SettingController(rules: PostChatRules(), store: store, paths: ["/campaigns/:id/postChat", "/campaigns/:id/postchat"], tag: "Post-chat")
            .addRoutes(to: api, document: document)
        SettingController(rules: OfflineMessageSettingsRules(), store: store, paths: ["/campaigns/:id/offlineMessage"], tag: "Offline message")
            .addRoutes(to: api, document: document)
        InvitationController(store: store).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: AutoInvitationRules(), store: store, paths: ["/campaigns/:id/invitation/autoInvitations"], operations: [.get, .create, .update, .delete],
            extensions: [.list], tag: "Auto invitations"
        ).addRoutes(to: api, document: document)
        SettingController(rules: AgentWrapupRules(), store: store, paths: ["/campaigns/:id/agentWrapup"], tag: "Agent wrap-up").addRoutes(to: api, document: document)
        SettingController(
            rules: RoutingRuleRules(store: store, targets: targets), store: store,
            paths: ["/campaigns/:id/routingRules", "/campaigns/:id/RoutingRules", "/campaigns/:id/routingrules"], tag: "Routing rules"
        ).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: CustomRuleRules(store: store, targets: targets), store: store,
            paths: ["/campaigns/:id/routingRules/customRules", "/campaigns/:id/RoutingRules/customRules", "/campaigns/:id/routingrules/customrules"],
            operations: [.get, .create, .update, .delete], extensions: [.list], tag: "Custom rules"
        ).addRoutes(to: api, document: document)
        SettingController(rules: CampaignLanguageRules(store: store), store: store, paths: ["/campaigns/:id/language"], tag: "Language").addRoutes(to: api, document: document)

        // Site-wide objects and settings.
        ItemCollectionController(
            rules: CannedMessageRules(store: store), store: store, paths: ["/cannedMessages"], operations: Set(CollectionOperation.allCases), tag: "Canned messages"
        ).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: CannedMessageCategoryRules(store: store), store: store, paths: ["/cannedMessageCategories"], operations: Set(CollectionOperation.allCases),
            tag: "Canned message categories"
        ).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: DepartmentRules(store: store, agents: agents), store: store, paths: ["/departments"], operations: Set(CollectionOperation.allCases), tag: "Departments"
        ).addRoutes(to: api, document: document)
        SettingController(rules: AutoAllocationRules(configs: configs), store: store, paths: ["/autoAllocation"], tag: "Auto allocation").addRoutes(to: api, document: document)
        CustomAwayStatusController(statuses: statuses, agents: agents).addRoutes(to: api, document: document)
        BanController(bans: BanSQLRepository(database: database)).addRoutes(to: endpoints)
        ItemCollectionController(
            rules: ConversionActionRules(), store: store, paths: ["/conversionsActions", "/conversionActions"], operations: [.list, .get, .create, .update],
            extensions: [.delete], tag: "Conversion actions"
        ).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: VisitorSegmentRules(agents: agents), store: store, paths: ["/visitorSegments", "/visitorSegmentations"], operations: Set(CollectionOperation.allCases),
            tag: "Visitor segments"
        ).addRoutes(to: api, document: document)
        SettingController(rules: VisitorSSORules(store: store, configs: configs), store: store, paths: ["/visitorSSO"], tag: "Visitor SSO").addRoutes(to: api, document: document)
        SettingController(rules: SiteConfigRules(), store: store, paths: ["/configs"], tag: "Live chat config").addRoutes(to: api, document: document)
        ItemCollectionController(rules: SecureFormRules(), store: store, paths: ["/secureForms"], operations: Set(CollectionOperation.allCases), tag: "Secure forms")
            .addRoutes(to: api, document: document)
        ItemCollectionController(rules: WebhookRules(), store: store, paths: ["/webhooks"], operations: [.list, .create, .update, .delete], extensions: [.get], tag: "Webhooks")
            .addRoutes(to: api, document: document)
        WebhookDeliveryController(outbox: self.foundation.outbox, database: database).addRoutes(to: api, document: document)
        ItemCollectionController(
            rules: CustomVariableRules(), store: store, paths: ["/customVariables"], operations: [.list, .create, .update, .delete], extensions: [.get], tag: "Custom variables"
        ).addRoutes(to: api, document: document)

        // Agents.
        AgentController(agents: agents, store: store, statuses: statuses, configs: configs).addRoutes(to: api, document: document)
        AgentAdministrationController(agents: self.credentials, liveChatAgents: agents).addRoutes(to: api, document: document)

        // History and the agent console.
        HistoryController(runtime: self.runtime, publicURL: self.settings.publicURL).addRoutes(to: api, document: document)
        ConsoleController(runtime: self.runtime).addRoutes(to: api, document: document)
    }
}

/// Writes every per-campaign setting's defaults when a campaign is created.
struct CampaignSettingsProvisioner: Sendable {
    let store: any ConfigurationRepository
    let targets: RouteTargets

    @Sendable func provision(_ campaign: ConfigurationRequest) async throws {
        try await self.write(ChatButtonRules(), campaign)
        try await self.write(ChatWindowRules(), campaign)
        try await self.write(PreChatRules(), campaign)
        try await self.write(PostChatRules(), campaign)
        try await self.write(OfflineMessageSettingsRules(), campaign)
        try await self.write(InvitationStyleRules(), campaign)
        try await self.write(ManualInvitationRules(), campaign)
        try await self.write(AgentWrapupRules(), campaign)
        try await self.write(RoutingRuleRules(store: self.store, targets: self.targets), campaign)
        try await self.write(CampaignLanguageRules(store: self.store), campaign)
    }

    func write<Rules: SettingRules>(_ rules: Rules, _ campaign: ConfigurationRequest) async throws {
        try await self.store.putSetting(try JSONValue(encoding: try await rules.defaultValue(in: campaign)), in: campaign.scope(rules.kind))
    }
}
