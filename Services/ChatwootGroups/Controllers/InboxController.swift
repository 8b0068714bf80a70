import Hummingbird
import ServiceKit
import WireModels

extension ChatwootInbox: ResponseEncodable {}
extension ChatwootPayload: ResponseEncodable {}

/// `/api/v1/accounts/{account_id}/inboxes` and `/inbox_members`: agents see their inboxes; administrators create and
/// change inboxes, their members and their agent bot.
struct InboxController {
    let access: ChatwootAccess
    let inboxes: InboxSQLRepository
    let bots: AgentBotSQLRepository

    /// `inbox_create_payload.channel`, with the fields each channel type takes.
    struct ChannelInput: Codable, Sendable {
        var type: String?
        var websiteUrl: String?
        var welcomeTitle: String?
        var welcomeTagline: String?
        var widgetColor: String?
        var replyTime: String?
        var webhookUrl: String?
        var hmacMandatory: Bool?
        var email: String?
        var phoneNumber: String?
        var provider: String?
        var providerConfig: JSONValue?
        var botToken: String?
        var lineChannelId: String?
        var lineChannelSecret: String?
        var lineChannelToken: String?
        var messagingServiceSid: String?

        enum CodingKeys: String, CodingKey {
            case type, email, provider
            case websiteUrl = "website_url"
            case welcomeTitle = "welcome_title"
            case welcomeTagline = "welcome_tagline"
            case widgetColor = "widget_color"
            case replyTime = "reply_time"
            case webhookUrl = "webhook_url"
            case hmacMandatory = "hmac_mandatory"
            case phoneNumber = "phone_number"
            case providerConfig = "provider_config"
            case botToken = "bot_token"
            case lineChannelId = "line_channel_id"
            case lineChannelSecret = "line_channel_secret"
            case lineChannelToken = "line_channel_token"
            case messagingServiceSid = "messaging_service_sid"
        }
    }

    /// `inbox_create_payload` / `inbox_update_payload`.
    struct InboxInput: Codable, Sendable {
        var name: String?
        var greetingEnabled: Bool?
        var greetingMessage: String?
        var enableEmailCollect: Bool?
        var csatSurveyEnabled: Bool?
        /// Checked by ``ChatwootCSAT/config(_:)`` (422 naming what is wrong).
        var csatConfig: JSONValue?
        var enableAutoAssignment: Bool?
        var workingHoursEnabled: Bool?
        var outOfOfficeMessage: String?
        var timezone: String?
        var allowMessagesAfterResolved: Bool?
        var lockToSingleConversation: Bool?
        var portalId: Int?
        var senderNameType: String?
        var businessName: String?
        var workingHours: [ChatwootInbox.WorkingHour]?
        var channel: ChannelInput?

        enum CodingKeys: String, CodingKey {
            case name, timezone, channel
            case greetingEnabled = "greeting_enabled"
            case greetingMessage = "greeting_message"
            case enableEmailCollect = "enable_email_collect"
            case csatSurveyEnabled = "csat_survey_enabled"
            case csatConfig = "csat_config"
            case enableAutoAssignment = "enable_auto_assignment"
            case workingHoursEnabled = "working_hours_enabled"
            case outOfOfficeMessage = "out_of_office_message"
            case allowMessagesAfterResolved = "allow_messages_after_resolved"
            case lockToSingleConversation = "lock_to_single_conversation"
            case portalId = "portal_id"
            case senderNameType = "sender_name_type"
            case businessName = "business_name"
            case workingHours = "working_hours"
        }
    }

    /// `set_agent_bot`: a bot id, or null to disconnect.
    struct AgentBotInput: Codable, Sendable {
        var agentBot: Int?

        enum CodingKeys: String, CodingKey {
            case agentBot = "agent_bot"
        }
    }

    /// The inbox members payload; `inbox_id` comes as a number or (PATCH and DELETE in the swagger) a string.
    struct MembersInput: Codable, Sendable {
        var inboxId: FlexibleID
        var userIds: [Int]

        enum CodingKeys: String, CodingKey {
            case inboxId = "inbox_id"
            case userIds = "user_ids"
        }
    }

    /// `GET .../inboxes/{id}/agent_bot`: Chatwoot's `{"agent_bot": {...}}`, an empty object when none is connected.
    struct InboxAgentBot: Codable, Sendable, Equatable, ResponseEncodable {
        var agentBot: JSONValue

        enum CodingKeys: String, CodingKey {
            case agentBot = "agent_bot"
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Inboxes")
            .get("/{account_id}/inboxes", "List all inboxes", returns: ChatwootPayload<ChatwootInbox>.self, use: self.list)
            .get("/{account_id}/inboxes/{id}", "Get an inbox", returns: ChatwootInbox.self, use: self.get)
            .post("/{account_id}/inboxes", "Create an inbox", body: InboxInput.self, returns: ChatwootInbox.self, use: self.create)
            .patch("/{account_id}/inboxes/{id}", "Update Inbox", body: InboxInput.self, returns: ChatwootInbox.self, use: self.update)
            .get("/{account_id}/inboxes/{id}/agent_bot", "Show Inbox Agent Bot", returns: InboxAgentBot.self, use: self.agentBot)
            .raw(
                .post, "/{account_id}/inboxes/{id}/set_agent_bot", "Add or remove agent bot", body: AgentBotInput.self,
                responses: [200: "Set", 401: "Unauthorized", 404: "Not found"], use: self.setAgentBot
            )
            .get("/{account_id}/inbox_members/{inbox_id}", "List Agents in Inbox", returns: ChatwootPayload<ChatwootAgent>.self, use: self.members)
            .post(
                "/{account_id}/inbox_members", "Add a New Agent", body: MembersInput.self, returns: ChatwootPayload<ChatwootAgent>.self,
                use: self.addMembers
            )
            .patch(
                "/{account_id}/inbox_members", "Update Agents in Inbox", body: MembersInput.self, returns: ChatwootPayload<ChatwootAgent>.self,
                use: self.replaceMembers
            )
            .raw(
                .delete, "/{account_id}/inbox_members", "Remove an Agent from Inbox", body: MembersInput.self,
                responses: [200: "Removed", 401: "Unauthorized", 404: "Not found", 422: "Invalid user ids"], use: self.removeMembers)
    }

    /// The inboxes the caller may see (all for administrators, their own for agents).
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootPayload<ChatwootInbox> {
        let caller = try await self.access.member(context)
        return ChatwootPayload(payload: try await self.inboxes.list(account: caller.accountID, ids: try await self.access.inboxIDs(caller)))
    }

    /// One inbox the caller may see.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootInbox {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        try await self.access.requireInbox(caller, id)
        return try await self.inboxes.inbox(id, account: caller.accountID)
    }

    /// Creates an inbox of a channel type the swagger lists (administrators).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: InboxInput) async throws -> ChatwootInbox {
        let caller = try await self.access.administrator(context)
        guard let name = input.name, !name.isEmpty else { throw ChatwootRows.blank("name") }
        guard let channel = input.channel else { throw ChatwootRows.blank("channel") }
        guard let kind = channel.type else { throw ChatwootRows.blank("channel.type") }
        guard let channelType = InboxSQLRepository.channelTypes[kind] else {
            throw ServiceError(.unprocessableContent, message: "Invalid channel type: \(kind)", field: "channel.type")
        }
        var inbox = ChatwootInbox(id: 0, accountId: caller.accountID, name: name, channelType: channelType, channelId: 0)
        try Self.apply(input, to: &inbox)
        var identifier: String?
        var websiteToken: String?
        var hmacToken: String?
        switch kind {
        case "web_widget":
            guard let url = channel.websiteUrl, !url.isEmpty else { throw ChatwootRows.blank("channel.website_url") }
            websiteToken = AccessTokenSQLRepository.newToken()
            hmacToken = AccessTokenSQLRepository.newToken()
            inbox.websiteUrl = url
            inbox.widgetColor = channel.widgetColor ?? "#1f93ff"
            inbox.welcomeTitle = channel.welcomeTitle ?? ""
            inbox.welcomeTagline = channel.welcomeTagline ?? ""
            inbox.replyTime = channel.replyTime ?? "in_a_few_minutes"
            inbox.hmacMandatory = channel.hmacMandatory ?? false
        case "api":
            identifier = AccessTokenSQLRepository.newToken()
            hmacToken = AccessTokenSQLRepository.newToken()
            inbox.webhookUrl = channel.webhookUrl ?? ""
            inbox.hmacMandatory = channel.hmacMandatory ?? false
            inbox.additionalAttributes = .object([:])
        case "email":
            guard let email = channel.email, ChatwootRows.isEmail(email) else {
                throw ServiceError(.unprocessableContent, message: "Email is invalid", field: "channel.email")
            }
            inbox.email = email
        case "telegram":
            guard channel.botToken?.isEmpty == false else { throw ChatwootRows.blank("channel.bot_token") }
        case "line":
            for (field, value) in [
                ("channel.line_channel_id", channel.lineChannelId), ("channel.line_channel_secret", channel.lineChannelSecret),
                ("channel.line_channel_token", channel.lineChannelToken),
            ] where value?.isEmpty != false {
                throw ChatwootRows.blank(field)
            }
        default:  // whatsapp, sms
            guard let phone = channel.phoneNumber, phone.hasPrefix("+"), phone.count > 4 else {
                throw ServiceError(.unprocessableContent, message: "Phone number is invalid", field: "channel.phone_number")
            }
            inbox.phoneNumber = phone
            inbox.provider = channel.provider ?? (kind == "whatsapp" ? "whatsapp_cloud" : "default")
            inbox.medium = kind == "sms" ? "sms" : nil
        }
        let created = try await self.inboxes.create(
            account: caller.accountID, inbox, identifier: identifier, websiteToken: websiteToken, hmacToken: hmacToken)
        guard kind == "web_widget", var widget = Optional(created), let token = widget.websiteToken else { return created }
        widget.webWidgetScript = Self.script(token: token)
        return try await self.inboxes.save(widget)
    }

    /// Changes an inbox (administrators); the website and API channels' own fields too.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: InboxInput) async throws -> ChatwootInbox {
        let caller = try await self.access.administrator(context)
        var inbox = try await self.inboxes.inbox(try ChatwootAccess.id(context, "id"), account: caller.accountID)
        if let name = input.name {
            guard !name.isEmpty else { throw ChatwootRows.blank("name") }
            inbox.name = name
        }
        try Self.apply(input, to: &inbox)
        if let channel = input.channel {
            switch inbox.channelType {
            case "Channel::WebWidget":
                inbox.websiteUrl = channel.websiteUrl ?? inbox.websiteUrl
                inbox.widgetColor = channel.widgetColor ?? inbox.widgetColor
                inbox.welcomeTitle = channel.welcomeTitle ?? inbox.welcomeTitle
                inbox.welcomeTagline = channel.welcomeTagline ?? inbox.welcomeTagline
                inbox.replyTime = channel.replyTime ?? inbox.replyTime
                inbox.hmacMandatory = channel.hmacMandatory ?? inbox.hmacMandatory
            case "Channel::Api":
                inbox.webhookUrl = channel.webhookUrl ?? inbox.webhookUrl
                inbox.hmacMandatory = channel.hmacMandatory ?? inbox.hmacMandatory
            case "Channel::Email":
                if let email = channel.email {
                    guard ChatwootRows.isEmail(email) else {
                        throw ServiceError(.unprocessableContent, message: "Email is invalid", field: "channel.email")
                    }
                    inbox.email = email
                }
            default: break
            }
        }
        return try await self.inboxes.save(inbox)
    }

    /// The inbox's agent bot (Chatwoot answers `{"agent_bot": {}}` when there is none).
    @Sendable func agentBot(_ request: Request, context: AuthenticatedContext) async throws -> InboxAgentBot {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        try await self.access.requireInbox(caller, id)
        guard let bot = try await self.inboxes.agentBotID(id, account: caller.accountID) else { return InboxAgentBot(agentBot: .object([:])) }
        var answer = try await self.bots.get(bot, account: nil)
        if answer.accountId == nil { answer.accessToken = nil }
        return InboxAgentBot(agentBot: try JSONValue(encoding: answer))
    }

    /// Connects an account or global bot to the inbox, or disconnects it (administrators); Chatwoot's `head :ok`.
    @Sendable func setAgentBot(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.administrator(context)
        let id = try ChatwootAccess.id(context, "id")
        let input = try await request.decode(as: AgentBotInput.self, context: context)
        if let bot = input.agentBot {
            let row = try await self.bots.row(bot, account: nil)
            guard row.accountId == nil || row.accountId == caller.accountID else { throw ChatwootRows.notFound }
        }
        try await self.inboxes.setAgentBot(id, account: caller.accountID, bot: input.agentBot)
        return Response(status: .ok)
    }

    /// The inbox's members, for those who may see the inbox.
    @Sendable func members(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootPayload<ChatwootAgent> {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "inbox_id")
        try await self.access.requireInbox(caller, id)
        return ChatwootPayload(payload: try await self.inboxes.members(id, account: caller.accountID))
    }

    /// Adds members (administrators).
    @Sendable func addMembers(_ request: Request, context: AuthenticatedContext, input: MembersInput) async throws -> ChatwootPayload<ChatwootAgent> {
        let caller = try await self.access.administrator(context)
        return ChatwootPayload(payload: try await self.inboxes.add(input.inboxId.value, account: caller.accountID, users: input.userIds))
    }

    /// Makes the members exactly those given (administrators).
    @Sendable func replaceMembers(
        _ request: Request, context: AuthenticatedContext, input: MembersInput
    ) async throws
        -> ChatwootPayload<ChatwootAgent>
    {
        let caller = try await self.access.administrator(context)
        return ChatwootPayload(payload: try await self.inboxes.replace(input.inboxId.value, account: caller.accountID, users: input.userIds))
    }

    /// Removes members (administrators).
    @Sendable func removeMembers(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.administrator(context)
        let input = try await request.decode(as: MembersInput.self, context: context)
        try await self.inboxes.remove(input.inboxId.value, account: caller.accountID, users: input.userIds)
        return Response(status: .ok)
    }

    // MARK: Helpers

    /// The options every channel shares.
    private static func apply(_ input: InboxInput, to inbox: inout ChatwootInbox) throws {
        if let type = input.senderNameType {
            guard ["friendly", "professional"].contains(type) else {
                throw ServiceError(.unprocessableContent, message: "'\(type)' is not a valid sender_name_type", field: "sender_name_type")
            }
            inbox.senderNameType = type
        }
        inbox.greetingEnabled = input.greetingEnabled ?? inbox.greetingEnabled
        inbox.greetingMessage = input.greetingMessage ?? inbox.greetingMessage
        inbox.enableEmailCollect = input.enableEmailCollect ?? inbox.enableEmailCollect
        inbox.csatSurveyEnabled = input.csatSurveyEnabled ?? inbox.csatSurveyEnabled
        // Chatwoot's `format_csat_config`: a given config replaces the stored one, with its defaults filled in.
        if let config = input.csatConfig, config != .null { inbox.csatConfig = try ChatwootCSAT.config(config) }
        inbox.enableAutoAssignment = input.enableAutoAssignment ?? inbox.enableAutoAssignment
        inbox.workingHoursEnabled = input.workingHoursEnabled ?? inbox.workingHoursEnabled
        inbox.outOfOfficeMessage = input.outOfOfficeMessage ?? inbox.outOfOfficeMessage
        inbox.timezone = input.timezone ?? inbox.timezone
        inbox.allowMessagesAfterResolved = input.allowMessagesAfterResolved ?? inbox.allowMessagesAfterResolved
        inbox.lockToSingleConversation = input.lockToSingleConversation ?? inbox.lockToSingleConversation
        inbox.businessName = input.businessName ?? inbox.businessName
        if let hours = input.workingHours {
            for hour in hours where !(0...6).contains(hour.dayOfWeek) {
                throw ServiceError(.unprocessableContent, message: "day_of_week must be 0 to 6", field: "working_hours")
            }
            inbox.workingHours = hours.sorted { $0.dayOfWeek < $1.dayOfWeek }
        }
    }

    /// The widget's embed script, as Chatwoot writes it.
    private static func script(token: String) -> String {
        """
        <script>
          (function(d,t) {
            var BASE_URL="";
            var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
            g.src=BASE_URL+"/packs/js/sdk.js";
            g.async = true;
            s.parentNode.insertBefore(g,s);
            g.onload=function(){
              window.chatwootSDK.run({
                websiteToken: '\(token)',
                baseUrl: BASE_URL
              })
            }
          })(document,"script");
        </script>
        """
    }
}

/// An id a client sends as a number or as a numeric string.
struct FlexibleID: Codable, Sendable, SchemaProviding {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self.value = number
        } else if let text = try? container.decode(String.self), let number = Int(text) {
            self.value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an id (a number or a numeric string) was expected")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        .anyOf([JSONSchema(type: .integer), JSONSchema(type: .string)])
    }

    static var schemaSample: FlexibleID? { nil }
}
