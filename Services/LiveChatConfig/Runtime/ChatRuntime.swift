import Conditions
import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// The live chat runtime behind the read-only history: visitors start chats and leave offline messages,
/// agents accept, answer, transfer, end and wrap up. Bans, routing, segments and allocation decide who
/// serves a chat; the four webhook events go out through the outbox.
struct ChatRuntime: Sendable {
    let database: Database
    let store: ConfigurationSQLRepository
    let agents: LiveChatAgentSQLRepository
    let bans: BanSQLRepository
    let configs: SettingReader<SiteConfigRules>
    let clock: WallClock

    /// A visitor's request to chat.
    struct ChatRequest: Decodable, Sendable {
        var siteId: String
        var campaignId: Int
        var visitorId: String
        var ipAddress: String?
        var ssoUserId: String?
        var name: String?
        var email: String?
        /// The department chosen on the pre-chat form (0 or absent: let routing decide).
        var departmentId: Int?
        var prechatFields: [LiveChatFieldValue]?
        var customVariables: [LiveChatFieldValue]?
        /// What the page knows about the visitor (`currentPageUrl`, `country`, `visits`...), for conditions.
        var visitor: [String: String]?
    }

    /// What the visitor learns: the chat, the token for its later calls, and who serves it.
    struct ChatStarted: Codable, Sendable {
        var chatId: Int?
        /// Sent back as `X-Visitor-Token` on the visitor's later calls.
        var visitorToken: String?
        /// `active`, `queued`, or `offlineMessage` when routing sends the visitor to the offline message window.
        var status: String
        var agentId: Int?
        var agentName: String?
        var departmentId: Int?
    }

    func start(_ request: ChatRequest) async throws -> ChatStarted {
        let (scope, campaign, config) = try await self.admit(request)
        let preChat = try await SettingReader(rules: PreChatRules(), store: self.store).value(in: scope)
        try Self.checkPreChat(preChat, request)
        let facts = Self.facts(
            request.visitor ?? [:], name: request.name, email: request.email, prechat: request.prechatFields ?? [],
            variables: request.customVariables ?? [], campaign: campaign.name ?? "")
        let segment = config.isEnableVisitorSegmentation == true ? try await self.segment(for: facts, siteId: request.siteId) : 0

        // Routing, unless the visitor picked a department on the pre-chat form.
        let decision: RouteDecision
        if let department = request.departmentId, department != 0, config.isEnableDepartment == true {
            guard try await self.store.contains(id: department, in: scope.scope(DepartmentRules.kind)) else {
                throw Validation.invalid("departmentId", "Department \(department) does not exist.")
            }
            decision = .department(department, priority: .normal)
        } else {
            let routing = try await SettingReader(
                rules: RoutingRules(store: self.store, targets: RouteTargets(store: self.store, agents: self.agents, configs: self.configs)),
                store: self.store
            ).value(in: scope)
            decision = ChatRouting.route(routing, rules: try await CustomRuleRules.ordered(in: scope, store: self.store), facts: facts)
        }
        if case .offlineMessage = decision { return ChatStarted(status: "offlineMessage") }

        let token = SecretHasher.randomToken()
        let masking = config.isEnableCreditCardMasking == true
        // Allocation and the new chat in one transaction holding the site's lock: chats starting together see each
        // other's load and round-robin turn.
        let (chat, agent) = try await self.database.write(site: request.siteId) { tx in
            let now = self.clock.milliseconds()
            let allocation = try await self.allocate(decision, site: scope.site, visitorId: request.visitorId, config: config)
            var chat = ChatRecord(
                siteId: request.siteId, campaignId: request.campaignId, visitorId: request.visitorId, visitorIp: request.ipAddress,
                ssoUserId: request.ssoUserId, name: request.name, email: request.email, departmentId: allocation.departmentId,
                agentId: allocation.agent?.id ?? 0, status: allocation.agent == nil ? .queued : .active, priority: decision.priority.rawValue,
                segmentId: segment, requestTime: now, acceptTime: allocation.agent == nil ? nil : now,
                prechat: JSONText(
                    (request.prechatFields ?? []).map {
                        masking ? LiveChatFieldValue(id: $0.id, name: $0.name, value: $0.value.map(CardMasking.masked)) : $0
                    }),
                customVariables: JSONText(request.customVariables ?? []), visitorTokenHash: SecretHasher.tokenHash(token),
                participants: allocation.agent.map { [$0.id] } ?? []
            )
            chat.id = try await tx.chats.create(chat)
            if let agent = allocation.agent {
                let joined = ChatMessageRecord(time: now, sender: "System", type: "system", content: "\(agent.displayName) has joined the chat.")
                try await tx.chats.addMessage(joined, chatId: chat.id)
                if allocation.rule == .roundRobin {
                    try await tx.chats.setLastAllocated(agent.id, siteId: request.siteId, departmentId: allocation.departmentId)
                }
                try await self.fire(.chatStarted, chat, at: now, tx)
            }
            return (chat, allocation.agent)
        }
        return ChatStarted(
            chatId: chat.id, visitorToken: token, status: chat.status.rawValue, agentId: agent?.id, agentName: agent?.displayName,
            departmentId: chat.departmentId == 0 ? nil : chat.departmentId
        )
    }

    /// Who serves a chat the routing sent somewhere: nil agent leaves it queued for a manual accept.
    typealias Allocation = (agent: LiveChatAgentRecord?, departmentId: Int, rule: LiveChatAllocationRule?)

    func allocate(_ decision: RouteDecision, site: Site, visitorId: String, config: LiveChatConfig) async throws -> Allocation {
        let siteId = site.id
        let everyone = try await self.agents.agents(siteId: siteId).filter(\.isActive)
        let settings = try await SettingReader(rules: AutoAllocationRules(configs: self.configs), store: self.store).value(
            in: ConfigurationRequest(site: site))
        var policy = Allocator.Policy(
            rule: settings.allocationRule ?? .loadBalancing, isLastChattedPreferred: settings.isLastChattedPreferred ?? false,
            maxChatsForAll: settings.isMaxChatForAllAgents == true ? settings.maxChatForAllAgents : nil
        )
        var pools: [(department: Int, agents: [LiveChatAgentRecord], policy: Allocator.Policy)] = []
        switch decision {
        case .agent(let id, _):
            pools = [(0, everyone.filter { $0.id == id }, policy)]
        case .department(let id, _):
            // The department's own rule overrides the site's; its backup department is the fallback.
            var next: Int? = id
            var visited = Set<Int>()
            while let department = next, department != 0, visited.insert(department).inserted,
                let settings = try await self.store.item(
                    LiveChatDepartment.self, id: department, in: ConfigurationScope(siteId: siteId, kind: DepartmentRules.kind))
            {
                policy.rule = settings.allocationRule ?? policy.rule
                policy.isLastChattedPreferred = settings.isLastChattedPreferred ?? policy.isLastChattedPreferred
                pools.append((department, everyone.filter { $0.departments.contains(department) }, policy))
                next = settings.backupDepartmentId
            }
        case .anyAgent:
            pools = [(0, everyone, policy)]
        case .offlineMessage:
            pools = []
        }
        let firstDepartment = pools.first?.department ?? 0
        guard config.isEnableAutoAllocation == true else { return (nil, firstDepartment, nil) }
        let lastChatted = try await self.database.readStatement {
            try await ChatSQLRepository(sql: $0).lastAgent(visitorId: visitorId, siteId: siteId)
        }
        for pool in pools {
            let last = try await self.database.readStatement {
                try await ChatSQLRepository(sql: $0).lastAllocated(siteId: siteId, departmentId: pool.department)
            }
            if let chosen = Allocator.choose(from: pool.agents, policy: pool.policy, lastAllocated: last, lastChatted: lastChatted) {
                return (chosen, pool.department, pool.policy.rule)
            }
        }
        return (nil, firstDepartment, nil)
    }

    // MARK: The visitor's side of a chat

    /// `change` on the chat a visitor's token opens; a wrong token finds nothing.
    func change(visitorChat id: Int, token: String, _ change: @Sendable (inout ChatRecord) async throws -> ChatStep) async throws {
        try await self.change({ try await $0.chat(id: id, visitorTokenHash: SecretHasher.tokenHash(token), locked: true) }, change)
    }

    func visitorMessage(chatId: Int, token: String, content: String) async throws {
        try await self.change(visitorChat: chatId, token: token) { chat in
            guard chat.status == .queued || chat.status == .active else { throw ServiceError(.conflict, message: "The chat has ended.") }
            let line = ChatMessageRecord(time: self.clock.milliseconds(), sender: chat.name ?? "Visitor", type: "visitor", content: content)
            return (try await self.masked(line, siteId: chat.siteId), nil)
        }
    }

    /// A waiting chat the visitor leaves is missed; an answered one ends.
    func visitorEnd(chatId: Int, token: String) async throws {
        try await self.change(visitorChat: chatId, token: token) { chat in try self.end(&chat, by: chat.name ?? "Visitor") }
    }

    func submitSurvey(chatId: Int, token: String, survey: LiveChatSurvey) async throws {
        try await self.change(visitorChat: chatId, token: token) { chat in
            guard chat.status == .active || chat.status == .ended else {
                throw ServiceError(.conflict, message: "Only an answered chat can be rated.")
            }
            chat.postchat = JSONText(survey)
            return (nil, nil)
        }
    }

    /// A visitor's offline message.
    struct OfflineMessageRequest: Decodable, Sendable {
        var siteId: String
        var campaignId: Int
        var visitorId: String
        var ipAddress: String?
        var ssoUserId: String?
        var name: String?
        var email: String?
        var departmentId: Int?
        var content: String
        var fields: [LiveChatFieldValue]?
        var customVariables: [LiveChatFieldValue]?
        var attachment: LiveChatAttachment?
        var visitor: [String: String]?
    }

    func submitOfflineMessage(_ request: OfflineMessageRequest) async throws -> Int {
        let (scope, campaign, config) = try await self.admit(request)
        guard !request.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
        if let email = request.email, !email.isEmpty, !Validation.isEmail(email) { throw Validation.invalid("email", "must be an email address.") }
        if let department = request.departmentId, department != 0,
            try await !self.store.contains(id: department, in: scope.scope(DepartmentRules.kind))
        {
            throw Validation.invalid("departmentId", "Department \(department) does not exist.")
        }
        let facts = Self.facts(
            request.visitor ?? [:], name: request.name, email: request.email, prechat: request.fields ?? [], variables: request.customVariables ?? [],
            campaign: campaign.name ?? "")
        let message = OfflineMessageRecord(
            siteId: request.siteId, campaignId: request.campaignId, visitorId: request.visitorId, time: self.clock.milliseconds(),
            ssoUserId: request.ssoUserId, name: request.name, email: request.email, departmentId: request.departmentId ?? 0, agentId: 0,
            segmentId: config.isEnableVisitorSegmentation == true ? try await self.segment(for: facts, siteId: request.siteId) : 0,
            content: config.isEnableCreditCardMasking == true ? CardMasking.masked(request.content) : request.content,
            fields: JSONText(request.fields ?? []), customVariables: JSONText(request.customVariables ?? []),
            attachment: request.attachment.map(JSONText.init)
        )
        return try await self.database.transaction { tx in
            var message = message
            message.id = try await tx.chats.create(message)
            if let submitted = try await self.prepare(.offlineMessageSubmitted, siteId: request.siteId) {
                try await submitted.enqueue(submitted.presenter.offlineMessage(message), at: message.time, on: tx)
            }
            return message.id
        }
    }

    // MARK: Shared steps

    /// What a change to a chat adds: a transcript line, and the webhook event it fires.
    typealias ChatStep = (line: ChatMessageRecord?, event: LiveChatWebhook.Event?)

    /// Changes a chat in one transaction: finds it (locked, so two agents cannot both accept it), lets `change` check
    /// and change it, writes it with the line the change adds, and fires the change's event with the transcript.
    @discardableResult
    func change(
        _ find: @Sendable (ChatSQLRepository) async throws -> ChatRecord?, _ change: @Sendable (inout ChatRecord) async throws -> ChatStep
    ) async throws -> ChatRecord {
        try await self.database.transaction { tx in
            guard var chat = try await find(tx.chats) else { throw ServiceError.notFound("Chat") }
            let (line, event) = try await change(&chat)
            try await tx.chats.update(chat)
            if let line { try await tx.chats.addMessage(line, chatId: chat.id) }
            if let event { try await self.fire(event, chat, at: line?.time ?? self.clock.milliseconds(), tx) }
            return chat
        }
    }

    /// The line as stored: card numbers masked when the site masks them.
    func masked(_ message: ChatMessageRecord, siteId: String) async throws -> ChatMessageRecord {
        var message = message
        if try await self.configs.config(site: Site(id: siteId)).isEnableCreditCardMasking == true {
            message.content = CardMasking.masked(message.content)
        }
        return message
    }

    /// Ends a chat: a queued one becomes missed, an active one ended (firing `chatEnded`).
    func end(_ chat: inout ChatRecord, by who: String) throws -> ChatStep {
        switch chat.status {
        case .queued: chat.status = .missed
        case .active: chat.status = .ended
        case .ended, .missed, .refused: throw ServiceError(.conflict, message: "The chat has already ended.")
        }
        chat.endTime = self.clock.milliseconds()
        let line = ChatMessageRecord(time: chat.endTime ?? 0, sender: "System", type: "system", content: "\(who) ended the chat.")
        return (line, chat.status == .ended ? .chatEnded : nil)
    }

    /// A chat with its transcript, on one snapshot; 404 when `find` finds none.
    func transcript(
        _ find: @Sendable (ChatSQLRepository) async throws -> ChatRecord?
    ) async throws -> (chat: ChatRecord, messages: [ChatMessageRecord]) {
        try await self.database.read { tx in
            guard let chat = try await find(tx.chats) else { throw ServiceError.notFound("Chat") }
            return (chat, try await tx.chats.messages(chatId: chat.id))
        }
    }

    /// The step a chat and an offline message share: what identifies the visitor fits its columns, the campaign
    /// exists and the visitor is not banned; with the site's switches.
    func admit(_ request: some VisitorRequest) async throws -> (scope: ConfigurationRequest, campaign: LiveChatCampaign, config: LiveChatConfig) {
        guard !request.visitorId.isEmpty else { throw ServiceError.missing("visitorId") }
        for (value, limit, field) in [
            (request.visitorId, 200, "visitorId"), (request.name, 256, "name"), (request.email, 320, "email"),
            (request.ipAddress, 64, "ipAddress"), (request.ssoUserId, 200, "ssoUserId"),
        ] {
            try Validation.length(value, atMost: limit, field)
        }
        let scope = ConfigurationRequest(site: Site(id: request.siteId), campaignId: request.campaignId)
        guard let campaign = try await self.store.item(LiveChatCampaign.self, id: request.campaignId, in: scope.siteScope(CampaignRules.kind))
        else { throw ServiceError.notFound("Campaign") }
        if try await self.bans.bans(siteId: request.siteId).contains(where: { $0.bans(visitorId: request.visitorId, ip: request.ipAddress) }) {
            throw ServiceError.forbidden("The visitor is banned from this site.")
        }
        return (scope, campaign, try await self.configs.config(site: scope.site))
    }

    /// The visible required pre-chat fields must be answered when the form is on.
    static func checkPreChat(_ form: LiveChatPreChat, _ request: ChatRequest) throws {
        if let email = request.email, !email.isEmpty, !Validation.isEmail(email) { throw Validation.invalid("email", "must be an email address.") }
        guard form.isEnable == true else { return }
        let answers = Dictionary(
            (request.prechatFields ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        for field in form.fields ?? [] where field.isVisible == true && field.isRequired == true {
            let answer: String? =
                switch field.type {
                case .name: request.name
                case .email: request.email
                default: answers[(field.name ?? "").lowercased()]
                }
            guard let answer, !answer.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Validation.invalid(
                    field.type == .name ? "name" : field.type == .email ? "email" : "prechatFields",
                    "the pre-chat field '\(field.name ?? "")' is required.")
            }
        }
    }

    /// The visitor's values by the condition vocabulary's names.
    static func facts(
        _ visitor: [String: String], name: String?, email: String?, prechat: [LiveChatFieldValue], variables: [LiveChatFieldValue], campaign: String
    ) -> Facts {
        var values = visitor
        values["name"] = name ?? values["name"]
        values["email"] = email ?? values["email"]
        values["campaign"] = campaign
        for field in prechat { values["prechatField.\(field.name)"] = field.value ?? "" }
        for variable in variables { values["customVariable.\(variable.name)"] = variable.value ?? "" }
        return Facts(values)
    }

    /// The enabled segment with the lowest priority number whose conditions match (0: none).
    func segment(for facts: Facts, siteId: String) async throws -> Int {
        let segments = try await self.store.items(LiveChatVisitorSegment.self, in: ConfigurationScope(siteId: siteId, kind: VisitorSegmentRules.kind))
            .filter { $0.isEnable == true }.sorted { ($0.priority ?? 0, $0.id ?? 0) < ($1.priority ?? 0, $1.id ?? 0) }
        return segments.first { (try? VisitorConditions.compiled($0.conditions))?.matches(facts) == true }?.id ?? 0
    }

    func presenter(site: Site, time: HistoryTime? = nil) async throws -> ChatPresenter {
        try await ChatPresenter(siteId: site.id, agents: self.agents, store: self.store, time: try time ?? HistoryTime(timezone: nil))
    }

    // MARK: Webhooks

    /// Reads what sending `event` needs; nil when no webhook of the site wants it, so a site without webhooks pays
    /// nothing more.
    func prepare(_ event: LiveChatWebhook.Event, siteId: String) async throws -> PreparedEvent? {
        let subscriptions = try await self.store.items(LiveChatWebhook.self, in: ConfigurationScope(siteId: siteId, kind: WebhookRules.kind))
            .filter { $0.event == event && $0.targetUrl != nil }
        guard !subscriptions.isEmpty else { return nil }
        return PreparedEvent(event: event, siteId: siteId, subscriptions: subscriptions, presenter: try await self.presenter(site: Site(id: siteId)))
    }

    /// Puts `event` about the chat, with its transcript, in the outbox of the change's transaction.
    func fire(_ event: LiveChatWebhook.Event, _ chat: ChatRecord, at milliseconds: Int64, _ tx: Tx) async throws {
        guard let prepared = try await self.prepare(event, siteId: chat.siteId) else { return }
        try await prepared.enqueue(prepared.presenter.chat(chat, messages: try await tx.chats.messages(chatId: chat.id)), at: milliseconds, on: tx)
    }
}

extension RouteDecision {
    var priority: LiveChatPriority {
        switch self {
        case .anyAgent(let priority), .department(_, let priority), .agent(_, let priority): priority
        case .offlineMessage: .normal
        }
    }
}

/// What a visitor's chat request and offline message both say about the visitor.
protocol VisitorRequest {
    var siteId: String { get }
    var campaignId: Int { get }
    var visitorId: String { get }
    var ipAddress: String? { get }
    var ssoUserId: String? { get }
    var name: String? { get }
    var email: String? { get }
}

extension ChatRuntime.ChatRequest: VisitorRequest {}
extension ChatRuntime.OfflineMessageRequest: VisitorRequest {}
