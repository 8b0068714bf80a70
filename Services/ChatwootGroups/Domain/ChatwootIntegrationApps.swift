import WireModels

/// Chatwoot's integration catalogue (`config/integration/apps.yml` with the names and descriptions of `en.yml`), as
/// far as this installation runs it: Slack, Linear and Shopify need OAuth client settings Chatwoot reads from its
/// environment, and without them Chatwoot's `Integrations::App#active?` leaves them out of the list (decision 346).
struct ChatwootIntegrationApps {
    /// A member of a hook's settings as the app's `settings_json_schema` types it.
    enum SettingType: Sendable {
        case string, object, boolean, integer
    }

    /// One app of the catalogue.
    struct App: Sendable {
        var id: String
        var name: String
        var description: String
        var shortDescription: String?
        var hookType: String
        var allowMultipleHooks: Bool
        var action: String?
        /// The settings' JSON schema: members and their types, which are required, whether others are refused.
        var settings: [String: SettingType]? = nil
        var required: [String] = []
        var closed = false
        /// An account feature the app needs (Chatwoot's `feature_flag`).
        var feature: String? = nil
        /// Whether the app is set up through this API's hooks (webhooks and dashboard apps have their own).
        var takesHooks = true
    }

    static let all: [App] = [
        App(
            id: "webhook", name: "Webhooks",
            description:
                "Webhook events provide real-time updates about activities in your Chatwoot account. You can subscribe to your preferred events, and Chatwoot will send you HTTP callbacks with the updates.",
            hookType: "account", allowMultipleHooks: true, action: "/webhook", takesHooks: false),
        App(
            id: "dashboard_apps", name: "Dashboard Apps",
            description:
                "Dashboard Apps allow you to create and embed applications that display user information, orders, or payment history, providing more context to your customer support agents.",
            hookType: "account", allowMultipleHooks: true, action: nil, takesHooks: false),
        App(
            id: "openai", name: "OpenAI",
            description:
                "Leverage the power of large language models from OpenAI with the features such as reply suggestions, summarization, message rephrasing, and spell-checking.",
            shortDescription: "AI-powered reply suggestions, summarization, and message enhancement.", hookType: "account",
            allowMultipleHooks: false, action: "/openai", settings: ["api_key": .string], required: ["api_key"], closed: true),
        App(
            id: "notion", name: "Notion",
            description:
                "Connect your Notion workspace to enable Captain to access and generate intelligent responses using content from your databases, documents, and pages to provide more contextual customer support.",
            shortDescription: "Integrate databases, documents and pages directly with Captain.", hookType: "account", allowMultipleHooks: false,
            action: nil),
        App(
            id: "dialogflow", name: "Dialogflow",
            description:
                "Build chatbots with Dialogflow and easily integrate them into your inbox. These bots can handle initial queries before transferring them to a customer service agent.",
            shortDescription: "Build chatbots to handle initial queries before transferring to agents.", hookType: "inbox",
            allowMultipleHooks: true, action: "/dialogflow",
            settings: ["project_id": .string, "credentials": .object, "region": .string, "language_code": .string],
            required: ["project_id", "credentials"], closed: true),
        App(
            id: "google_translate", name: "Google Translate",
            description:
                "Integrate Google Translate to help agents easily translate customer messages. This integration automatically detects the language and converts it to the agent's or admin's preferred language.",
            shortDescription: "Automatically translate customer messages for agents.", hookType: "account", allowMultipleHooks: false,
            action: "/google_translate", settings: ["project_id": .string, "credentials": .object], required: ["project_id", "credentials"],
            closed: true),
        App(
            id: "dyte", name: "Cloudflare RealtimeKit",
            description: "Cloudflare RealtimeKit lets your agents start video/voice calls with your customers directly from Chatwoot.",
            shortDescription: "Start video/voice calls with customers directly from Chatwoot.", hookType: "account", allowMultipleHooks: false,
            action: "/dyte", settings: ["account_id": .string, "app_id": .string, "api_token": .string],
            required: ["account_id", "app_id", "api_token"], closed: true),
        App(
            id: "leadsquared", name: "LeadSquared",
            description:
                "Sync your contacts and conversations with LeadSquared CRM. This integration automatically creates leads in LeadSquared when new contacts are added, and logs conversation activity to provide your sales team with complete context.",
            shortDescription: "Sync your contacts and conversations with LeadSquared CRM.", hookType: "account", allowMultipleHooks: false,
            action: "/leadsquared",
            settings: [
                "access_key": .string, "secret_key": .string, "endpoint_url": .string, "app_url": .string, "timezone": .string,
                "enable_conversation_activity": .boolean, "enable_transcript_activity": .boolean, "conversation_activity_score": .string,
                "transcript_activity_score": .string, "conversation_activity_code": .integer, "transcript_activity_code": .integer,
            ], required: ["access_key", "secret_key"], closed: true, feature: "crm_integration"),
    ]

    static func app(_ id: String) -> App? {
        Self.all.first { $0.id == id }
    }

    /// Whether `settings` passes the app's settings schema (Chatwoot's `JSONSchemer` check); apps without one take any object.
    static func valid(_ settings: JSONValue, for app: App) -> Bool {
        guard case .object(let members) = settings else { return false }
        guard let types = app.settings else { return true }
        if !app.required.allSatisfy({ members[$0] != nil }) { return false }
        for (key, value) in members {
            guard let type = types[key] else {
                if app.closed { return false }
                continue
            }
            switch (type, value) {
            case (.string, .string), (.object, .object), (.boolean, .bool): continue
            case (.integer, .number(let number)) where number.rounded() == number: continue
            default: return false
            }
        }
        return true
    }
}
