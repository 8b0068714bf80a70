import Configuration
import Hummingbird
import ServiceKit

/// Builds chatwoot-groups (the Chatwoot REST API with WhatsApp group conversations).
///
/// Reads the keys of ``ServiceSettings``, ``WebhookSettings`` and ``SchedulerSettings``.
func buildApplication(reader: ConfigReader, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "chatwoot-groups", defaultPort: 8084, title: "Chatwoot API",
        securitySchemes: [
            "userApiKey": SecuritySchemes.chatwootUserToken, "agentBotApiKey": SecuritySchemes.chatwootUserToken,
            "platformAppApiKey": SecuritySchemes.chatwootUserToken,
        ], clock: clock
    )
    let credentialTTL = Duration.seconds(10)
    let tokens = AccessTokenSQLRepository(database: foundation.database, clock: foundation.clock, keepUsersFor: credentialTTL)
    let access = ChatwootAccess(database: foundation.database, tokens: tokens)
    let router = foundation.router(dialect: ChatwootErrorDialect())
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: CachingVerifier(ChatwootTokenVerifier(tokens: tokens), ttl: credentialTTL),
            scope: { request in request.uri.path.hasPrefix("/platform/") ? "platform" : "account" },
            accepts: { if case .apiAccessToken = $0 { true } else { false } }
        )
    )
    // Application API (`/api/v1`): user tokens; the six operations that also take bot tokens say so in their group.
    let api = router.endpoints(
        "/api/v1", context: AuthenticatedContext.self, tag: "Profile", security: ["userApiKey"], errors: [401: "Unauthorized"],
        document: foundation.document)
    let accounts = router.endpoints(
        "/api/v1/accounts", context: AuthenticatedContext.self, tag: "Account", security: ["userApiKey"],
        errors: [401: "Unauthorized", 404: "Not found"], document: foundation.document)
    // Platform API (`/platform/api/v1`): platform-app tokens only.
    let platform = router.endpoints(
        "/platform/api/v1", context: AuthenticatedContext.self, tag: "Accounts", security: ["platformAppApiKey"],
        errors: [401: "Unauthorized", 404: "Not found"], document: foundation.document)
    let accountStore = AccountSQLRepository(database: foundation.database, clock: foundation.clock, tokens: tokens)
    let users = UserSQLRepository(database: foundation.database, clock: foundation.clock, tokens: tokens)
    let bots = AgentBotSQLRepository(database: foundation.database, clock: foundation.clock, tokens: tokens)
    PlatformController(access: access, accounts: accountStore, users: users, bots: bots).addRoutes(to: platform)
    let teams = TeamSQLRepository(database: foundation.database, clock: foundation.clock, users: users)
    let inboxStore = InboxSQLRepository(database: foundation.database, clock: foundation.clock, users: users)
    AccountController(access: access, accounts: accountStore, users: users, bots: bots).addRoutes(to: accounts)
    TeamController(access: access, teams: teams).addRoutes(to: accounts)
    InboxController(access: access, inboxes: inboxStore, bots: bots).addRoutes(to: accounts)
    ProfileController(tokens: tokens).addRoutes(to: api)
    // The six operations agent bots may call too (spec §5.1).
    let botAccounts = router.endpoints(
        "/api/v1/accounts", context: AuthenticatedContext.self, tag: "Conversations", security: ["userApiKey", "agentBotApiKey"],
        errors: [401: "Unauthorized", 404: "Not found"], document: foundation.document)
    let attachmentLinks = ChatwootAttachmentLinks(database: foundation.database, clock: foundation.clock)
    let messages = MessageSQLRepository(database: foundation.database, clock: foundation.clock, links: attachmentLinks)
    // Lane G: message files by their signed links (no token).
    AttachmentController(messages: messages).addRoutes(
        to: router.endpoints(
            "/public/api/v1/attachments", tag: "Messages", errors: [404: "Not found"], isExtension: true, document: foundation.document))
    let presence = ChatwootPresence(database: foundation.database)
    let conversations = ConversationSQLRepository(
        database: foundation.database, clock: foundation.clock, access: access, messages: messages, presence: presence)
    ContactController(
        access: access, contacts: ContactSQLRepository(database: foundation.database, clock: foundation.clock), conversations: conversations,
        clock: foundation.clock
    ).addRoutes(to: accounts)
    ConversationController(access: access, conversations: conversations, messages: messages).addRoutes(to: accounts, bots: botAccounts)
    WebhookController(access: access, webhooks: WebhookSQLRepository(database: foundation.database, clock: foundation.clock)).addRoutes(to: accounts)
    AccountResourceController(
        access: access, cannedResponses: CannedResponseSQLRepository(database: foundation.database, clock: foundation.clock),
        customAttributes: CustomAttributeSQLRepository(database: foundation.database, clock: foundation.clock),
        customFilters: CustomFilterSQLRepository(database: foundation.database, clock: foundation.clock)
    ).addRoutes(to: accounts)
    AuditLogController(access: access, database: foundation.database).addRoutes(to: accounts)
    // Lane M: help center, integrations, a contact's conversations and the swagger's `/accounts/...` messages path.
    HelpCenterController(
        access: access, helpCenter: HelpCenterSQLRepository(database: foundation.database, clock: foundation.clock, users: users)
    ).addRoutes(to: accounts)
    IntegrationController(access: access, integrations: IntegrationSQLRepository(database: foundation.database, clock: foundation.clock))
        .addRoutes(to: accounts)
    ContactConversationController(access: access, conversations: conversations).addRoutes(to: accounts)
    ConversationController(access: access, conversations: conversations, messages: messages).addSwaggerMessagesRoute(
        to: router.endpoints(
            "/accounts", context: AuthenticatedContext.self, tag: "Conversation", security: ["userApiKey"],
            errors: [401: "Unauthorized", 404: "Not found"], document: foundation.document))
    // Lane R: reporting events (`/api/v1`) and the v2 reports (`/api/v2/accounts`).
    ReportController(access: access, reports: ReportSQLRepository(database: foundation.database), conversations: conversations, users: users)
        .addRoutes(
            to: accounts,
            v2: router.endpoints(
                "/api/v2/accounts", context: AuthenticatedContext.self, tag: "Reports", security: ["userApiKey"],
                errors: [401: "Unauthorized", 404: "Not found"], document: foundation.document))
    // Lane A: automation rules (and the engine that runs them on events) and scheduled messages.
    let automation = ChatwootAutomation(
        database: foundation.database, clock: foundation.clock, conversations: conversations, messages: messages,
        mail: SMTPClient(settings: SMTPSettings(reader: reader)), logger: foundation.logger)
    let scheduledMessages = ScheduledMessageSQLRepository(
        database: foundation.database, clock: foundation.clock, messages: messages, logger: foundation.logger)
    AutomationRuleController(access: access, rules: AutomationRuleSQLRepository(database: foundation.database, clock: foundation.clock))
        .addRoutes(to: accounts)
    ScheduledMessageController(access: access, conversations: conversations, scheduled: scheduledMessages).addRoutes(to: accounts)
    let automationJobs: [String: JobHandler] = [
        ChatwootAutomation.jobKind: { job in try await automation.run(job) },
        ScheduledMessageSQLRepository.jobKind: { job in try await scheduledMessages.send(job) },
    ]
    // Lane P: the Client API (`/public/api/v1/inboxes`, no token: the inbox and contact identifiers are the
    // credentials) and the CSAT survey page.
    let clientAPI = ClientAPISQLRepository(
        database: foundation.database, clock: foundation.clock, inboxes: inboxStore,
        contacts: ContactSQLRepository(database: foundation.database, clock: foundation.clock), conversations: conversations, messages: messages)
    ClientAPIController(store: clientAPI, clock: foundation.clock).addRoutes(
        to: router.endpoints("/public/api/v1/inboxes", tag: "Inbox API", errors: [404: "Not found"], document: foundation.document),
        survey: router.endpoints("/survey", tag: "CSAT Survey Page", document: foundation.document),
        surveyAPI: router.endpoints(
            "/public/api/v1/csat_survey", tag: "CSAT Survey Page", errors: [404: "Not found"], isExtension: true, document: foundation.document))
    // Lane W: realtime `/cable` (ActionCable's RoomChannel), fed by the notes committed transactions publish (lane N:
    // on PostgreSQL, those of every instance).
    let cable = ChatwootCable(database: foundation.database, clock: foundation.clock, logger: foundation.logger, presence: presence)
    var app = try foundation.application(
        router: router, migrations: ChatwootMigrations.all,
        jobHandlers: automationJobs.merging([ConversationSQLRepository.snoozeJobKind: { job in try await conversations.reopen(job) }]) { $1 },
        server: cable.server()
    ) {
        if let key = foundation.settings.bootstrapAPIKey { try await tokens.bootstrap(token: key) }
        try await attachmentLinks.prepare()
    }
    app.addServices(cable)
    return app
}
