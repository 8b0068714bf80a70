import Hummingbird
import ServiceKit
import WireModels

/// Every route of the Live Chat API under `/api/v1/livechat` and its extensions, over the repositories and the
/// chat runtime `buildApplication` made once.
struct LiveChatAPI {
    let store: ConfigurationSQLRepository
    let agents: LiveChatAgentSQLRepository
    let statuses: CustomAwayStatusSQLRepository
    let bans: BanSQLRepository
    let credentials: AgentCredentialSQLRepository
    let runtime: ChatRuntime
    let outbox: Outbox
    let publicURL: String

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let store = self.store
        let configs = SettingReader(configs: store)
        let targets = RouteTargets(store: store, agents: self.agents, configs: configs)

        // Campaigns and their settings.
        let provisioner = CampaignSettingsProvisioner(store: store, targets: targets)
        let campaigns = CampaignRules(store: store, configs: configs, provisionSettings: provisioner.provision)
        ItemCollectionController(
            rules: campaigns, store: store, paths: ["/campaigns"], operations: [.list, .create, .update, .delete], extensions: [.get],
            tag: "Campaigns"
        )
        .addRoutes(to: api)
        InstallationCodeController(store: store, code: InstallationCode(publicURL: self.publicURL)).addRoutes(to: api)
        SettingController(rules: ChatButtonRules(), store: store, paths: ["/campaigns/{id}/chatButton"], tag: "Chat button").addRoutes(to: api)
        SettingController(rules: ChatWindowRules(), store: store, paths: ["/campaigns/{id}/chatWindow"], tag: "Chat window").addRoutes(to: api)
        SettingController(rules: PreChatRules(), store: store, paths: ["/campaigns/{id}/preChat", "/campaigns/{id}/prechat"], tag: "Pre-chat")
            .addRoutes(to: api)
        SettingController(rules: PostChatRules(), store: store, paths: ["/campaigns/{id}/postChat", "/campaigns/{id}/postchat"], tag: "Post-chat")
            .addRoutes(to: api)
        SettingController(rules: OfflineMessageSettingsRules(), store: store, paths: ["/campaigns/{id}/offlineMessage"], tag: "Offline message")
            .addRoutes(to: api)
        InvitationController(store: store).addRoutes(to: api)
        ItemCollectionController(
            rules: AutoInvitationRules(), store: store, paths: ["/campaigns/{id}/invitation/autoInvitations"],
            operations: [.get, .create, .update, .delete],
            extensions: [.list], tag: "Auto invitations"
        ).addRoutes(to: api)
        SettingController(rules: AgentWrapupRules(), store: store, paths: ["/campaigns/{id}/agentWrapup"], tag: "Agent wrap-up").addRoutes(to: api)
        SettingController(
            rules: RoutingRules(store: store, targets: targets), store: store,
            paths: ["/campaigns/{id}/routingRules", "/campaigns/{id}/RoutingRules", "/campaigns/{id}/routingrules"], tag: "Routing rules"
        ).addRoutes(to: api)
        ItemCollectionController(
            rules: CustomRuleRules(store: store, targets: targets), store: store,
            paths: [
                "/campaigns/{id}/routingRules/customRules", "/campaigns/{id}/RoutingRules/customRules", "/campaigns/{id}/routingrules/customrules",
            ],
            operations: [.get, .create, .update, .delete], extensions: [.list], tag: "Custom rules"
        ).addRoutes(to: api)
        SettingController(rules: CampaignLanguageRules(store: store), store: store, paths: ["/campaigns/{id}/language"], tag: "Language").addRoutes(
            to: api)

        // Site-wide objects and settings.
        let everything = Set(CollectionOperation.allCases)
        ItemCollectionController(
            rules: CannedMessageRules(store: store), store: store, paths: ["/cannedMessages"], operations: everything, tag: "Canned messages"
        )
        .addRoutes(to: api)
        ItemCollectionController(
            rules: CannedMessageCategoryRules(store: store), store: store, paths: ["/cannedMessageCategories"], operations: everything,
            tag: "Canned message categories"
        ).addRoutes(to: api)
        ItemCollectionController(
            rules: DepartmentRules(store: store, agents: self.agents), store: store, paths: ["/departments"], operations: everything,
            tag: "Departments"
        )
        .addRoutes(to: api)
        SettingController(rules: AutoAllocationRules(configs: configs), store: store, paths: ["/autoAllocation"], tag: "Auto allocation").addRoutes(
            to: api)
        CustomAwayStatusController(statuses: self.statuses, agents: self.agents).addRoutes(to: api)
        BanController(bans: self.bans).addRoutes(to: api)
        ItemCollectionController(
            rules: ConversionActionRules(), store: store, paths: ["/conversionsActions", "/conversionActions"],
            operations: [.list, .get, .create, .update],
            extensions: [.delete], tag: "Conversion actions"
        ).addRoutes(to: api)
        ItemCollectionController(
            rules: VisitorSegmentRules(agents: self.agents), store: store, paths: ["/visitorSegments", "/visitorSegmentations"],
            operations: everything,
            tag: "Visitor segments"
        ).addRoutes(to: api)
        SettingController(rules: VisitorSSORules(store: store, configs: configs), store: store, paths: ["/visitorSSO"], tag: "Visitor SSO").addRoutes(
            to: api)
        SettingController(rules: configs.rules, store: store, paths: ["/configs"], tag: "Live chat config").addRoutes(to: api)
        ItemCollectionController(rules: SecureFormRules(), store: store, paths: ["/secureForms"], operations: everything, tag: "Secure forms")
            .addRoutes(to: api)
        ItemCollectionController(
            rules: WebhookRules(), store: store, paths: ["/webhooks"], operations: [.list, .create, .update, .delete], extensions: [.get],
            tag: "Webhooks"
        )
        .addRoutes(to: api)
        WebhookDeliveryController(outbox: self.outbox, database: self.runtime.database).addRoutes(to: api)
        ItemCollectionController(
            rules: CustomVariableRules(), store: store, paths: ["/customVariables"], operations: [.list, .create, .update, .delete],
            extensions: [.get],
            tag: "Custom variables"
        ).addRoutes(to: api)

        // Agents.
        AgentController(agents: self.agents, store: store, statuses: self.statuses, configs: configs).addRoutes(to: api)
        AgentAdministrationController(agents: self.credentials, liveChatAgents: self.agents).addRoutes(to: api)

        // History and the agent console.
        HistoryController(runtime: self.runtime, publicURL: self.publicURL).addRoutes(to: api)
        ConsoleController(runtime: self.runtime).addRoutes(to: api)
    }
}
