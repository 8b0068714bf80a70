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
        /// A collection at its paths (canonical first), with the operations the seed documents and those Switchboard adds.
        func items<Rules: ItemRules>(
            _ rules: Rules, _ paths: String..., seed operations: Set<CollectionOperation> = Set(CollectionOperation.allCases),
            extensions: Set<CollectionOperation> = [], tag: String
        ) where Rules.Item: ResponseEncodable {
            ItemCollectionController(rules: rules, store: store, paths: paths, operations: operations, extensions: extensions, tag: tag).addRoutes(
                to: api)
        }
        /// A settings document at its paths, canonical first.
        func setting<Rules: SettingRules>(_ rules: Rules, _ paths: String..., tag: String, readable: Bool = true)
        where Rules.Setting: ResponseEncodable {
            SettingController(rules: rules, store: store, paths: paths, tag: tag, readable: readable).addRoutes(to: api)
        }

        // Campaigns and their settings.
        items(
            CampaignRules(store: store, configs: configs, targets: targets), "/campaigns", seed: [.list, .create, .update, .delete],
            extensions: [.get], tag: "Campaigns")
        let code = InstallationCode(publicURL: self.publicURL)
        api.tagged("Campaigns").get(
            "/campaigns/{id}/code", "Get the campaign's installation code", returns: LiveChatInstallationCode.self,
            errors: [403: "Missing permission Manage Campaigns", 404: "Not found"]
        ) { _, context in
            try context.require(permission: InvitationController.permission)
            let campaign = try await context.configurationRequest(store: store, campaign: true)
            return code.code(siteId: campaign.siteId, campaignId: campaign.campaignId)
        }
        setting(ChatButtonRules(), "/campaigns/{id}/chatButton", tag: "Chat button")
        setting(ChatWindowRules(), "/campaigns/{id}/chatWindow", tag: "Chat window")
        setting(PreChatRules(), "/campaigns/{id}/preChat", "/campaigns/{id}/prechat", tag: "Pre-chat")
        setting(PostChatRules(), "/campaigns/{id}/postChat", "/campaigns/{id}/postchat", tag: "Post-chat")
        setting(OfflineMessageSettingsRules(), "/campaigns/{id}/offlineMessage", tag: "Offline message")
        InvitationController(store: store).addRoutes(to: api)
        setting(ManualInvitationRules(), "/campaigns/{id}/invitation/manualInvitation", tag: "Invitation", readable: false)
        let autoInvitations = "/campaigns/{id}/invitation/autoInvitations"
        items(AutoInvitationRules(), autoInvitations, seed: [.get, .create, .update, .delete], extensions: [.list], tag: "Auto invitations")
        setting(AgentWrapupRules(), "/campaigns/{id}/agentWrapup", tag: "Agent wrap-up")
        let routing = ["/campaigns/{id}/routingRules", "/campaigns/{id}/RoutingRules", "/campaigns/{id}/routingrules"]
        setting(RoutingRules(store: store, targets: targets), routing[0], routing[1], routing[2], tag: "Routing rules")
        items(
            CustomRuleRules(store: store, targets: targets), routing[0] + "/customRules", routing[1] + "/customRules", routing[2] + "/customrules",
            seed: [.get, .create, .update, .delete], extensions: [.list], tag: "Custom rules")
        setting(CampaignLanguageRules(store: store), "/campaigns/{id}/language", tag: "Language")

        // Site-wide objects and settings.
        items(CannedMessageRules(store: store), "/cannedMessages", tag: "Canned messages")
        items(CannedMessageCategoryRules(store: store), "/cannedMessageCategories", tag: "Canned message categories")
        items(DepartmentRules(store: store, agents: self.agents), "/departments", tag: "Departments")
        setting(AutoAllocationRules(configs: configs), "/autoAllocation", tag: "Auto allocation")
        CustomAwayStatusController(statuses: self.statuses, agents: self.agents).addRoutes(to: api)
        BanController(bans: self.bans).addRoutes(to: api)
        items(
            ConversionActionRules(), "/conversionsActions", "/conversionActions", seed: [.list, .get, .create, .update], extensions: [.delete],
            tag: "Conversion actions")
        items(VisitorSegmentRules(agents: self.agents), "/visitorSegments", "/visitorSegmentations", tag: "Visitor segments")
        setting(VisitorSSORules(store: store, configs: configs), "/visitorSSO", tag: "Visitor SSO")
        setting(configs.rules, "/configs", tag: "Live chat config")
        items(SecureFormRules(), "/secureForms", tag: "Secure forms")
        items(WebhookRules(), "/webhooks", seed: [.list, .create, .update, .delete], extensions: [.get], tag: "Webhooks")
        WebhookDeliveryController(outbox: self.outbox, database: self.runtime.database).addRoutes(to: api)
        items(CustomVariableRules(), "/customVariables", seed: [.list, .create, .update, .delete], extensions: [.get], tag: "Custom variables")

        // Agents.
        AgentController(agents: self.agents, store: store, statuses: self.statuses, configs: configs).addRoutes(to: api)
        AgentAdministrationController(agents: self.credentials, liveChatAgents: self.agents).addRoutes(to: api)

        // History and the agent console.
        HistoryController(runtime: self.runtime, publicURL: self.publicURL).addRoutes(to: api)
        ConsoleController(runtime: self.runtime).addRoutes(to: api)
    }
}
