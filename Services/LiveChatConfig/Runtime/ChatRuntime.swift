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
    let store: any ConfigurationRepository
    let agents: any LiveChatAgentRepository
    let bans: any BanRepository
    let configs: SettingReader<SiteConfigRules>
    let webhooks: LiveChatWebhooks
    let clock: WallClock

    var chats: ChatSQLRepository { ChatSQLRepository(sql: self.database.sql) }

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
        var decision: RouteDecision
        if let department = request.departmentId, department != 0, config.isEnableDepartment == true {
            guard try await self.store.item(id: department, in: scope.scope(DepartmentRules.kind)).map({ _ in true }) ?? false else {
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

        let now = self.clock.milliseconds()
        let allocation = try await self.allocate(decision, site: scope.site, visitorId: request.visitorId, config: config)
        let token = SecretHasher.randomToken()
        let masking = config.isEnableCreditCardMasking == true
        let chat = ChatRecord(
            siteId: request.siteId, campaignId: request.campaignId, visitorId: request.visitorId, visitorIP: request.ipAddress,
            ssoUserId: request.ssoUserId,
            name: request.name, email: request.email, departmentId: allocation.departmentId, agentId: allocation.agent?.id ?? 0,
            status: allocation.agent == nil ? .queued : .active, priority: decision.priority.rawValue, segmentId: segment, requestTime: now,
            acceptTime: allocation.agent == nil ? nil : now,
            prechat: (request.prechatFields ?? []).map {
                masking ? LiveChatFieldValue(id: $0.id, name: $0.name, value: $0.value.map(CardMasking.masked)) : $0
            },
            customVariables: request.customVariables ?? [], participants: allocation.agent.map { [$0.id] } ?? []
        )
        let started = allocation.agent == nil ? nil : try await self.webhooks.prepare(.chatStarted, siteId: request.siteId)
        let id = try await self.database.withTransaction { database in
            let chats = ChatSQLRepository(sql: database)
            var chat = chat
            chat.id = try await chats.create(chat, visitorTokenHash: SecretHasher.tokenHash(token))
            if let agent = allocation.agent {
                let joined = ChatMessageRecord(time: now, sender: "System", type: "system", content: "\(agent.displayName) has joined the chat.")
                try await chats.addMessage(joined, chatId: chat.id)
                if allocation.rule == .roundRobin {
                    try await chats.setLastAllocated(agent.id, siteId: request.siteId, departmentId: allocation.departmentId)
                }
                if let started { try await started.enqueue(started.presenter.chat(chat, messages: [joined]), at: now, on: database) }
            }
            return chat.id
        }
        return ChatStarted(
            chatId: id, visitorToken: token, status: chat.status.rawValue, agentId: allocation.agent?.id, agentName: allocation.agent?.displayName,
            departmentId: allocation.departmentId == 0 ? nil : allocation.departmentId
        )
    }

    /// Who serves a chat the routing sent somewhere: nil agent leaves it queued for a manual accept.
    struct Allocation {
        var agent: LiveChatAgentRecord?
        var departmentId: Int
        var rule: LiveChatAllocationRule?
    }

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
                let stored = try await self.store.item(id: department, in: ConfigurationScope(siteId: siteId, kind: DepartmentRules.kind)),
                let settings = try? stored.body.decode(as: LiveChatDepartment.self)
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
        guard config.isEnableAutoAllocation == true else { return Allocation(agent: nil, departmentId: firstDepartment, rule: nil) }
        let chats = self.chats
        let lastChatted = try await chats.lastAgent(visitorId: visitorId, siteId: siteId)
        for pool in pools {
            let loads = pool.agents.map {
                AgentLoad(
                    id: $0.id, isOnline: $0.status == "online", isAcceptAllocation: $0.isAcceptAllocation, ongoingChats: $0.ongoingChats,
                    maxChats: $0.maxChatsCount)
            }
            let last = try await chats.lastAllocated(siteId: siteId, departmentId: pool.department)
            if let chosen = Allocator.choose(from: loads, policy: pool.policy, lastAllocated: last, lastChatted: lastChatted) {
                return Allocation(agent: pool.agents.first { $0.id == chosen }, departmentId: pool.department, rule: pool.policy.rule)
            }
        }
        return Allocation(agent: nil, departmentId: firstDepartment, rule: nil)
    }

    // MARK: The visitor's side of a chat

    /// The chat a visitor's token opens; a wrong token finds nothing.
    func visitorChat(id: Int, token: String) async throws -> ChatRecord {
        guard let chat = try await self.chats.chat(id: id, visitorTokenHash: SecretHasher.tokenHash(token)) else {
            throw ServiceError.notFound("Chat")
        }
        return chat
    }

    func visitorMessage(chatId: Int, token: String, content: String) async throws {
        let chat = try await self.visitorChat(id: chatId, token: token)
        guard chat.status == .queued || chat.status == .active else { throw ServiceError(.conflict, message: "The chat has ended.") }
        try await self.addMessage(
            ChatMessageRecord(time: self.clock.milliseconds(), sender: chat.name ?? "Visitor", type: "visitor", content: content), to: chat)
    }

    /// A waiting chat the visitor leaves is missed; an answered one ends.
    func visitorEnd(chatId: Int, token: String) async throws {
        let chat = try await self.visitorChat(id: chatId, token: token)
        try await self.end(chat, by: chat.name ?? "Visitor")
    }

    func submitSurvey(chatId: Int, token: String, survey: LiveChatSurvey) async throws {
        var chat = try await self.visitorChat(id: chatId, token: token)
        guard chat.status == .active || chat.status == .ended else { throw ServiceError(.conflict, message: "Only an answered chat can be rated.") }
        chat.postChat = survey
        try await self.chats.update(chat)
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
            try await self.store.item(id: department, in: scope.scope(DepartmentRules.kind)) == nil
        {
            throw Validation.invalid("departmentId", "Department \(department) does not exist.")
        }
        let facts = Self.facts(
            request.visitor ?? [:], name: request.name, email: request.email, prechat: request.fields ?? [], variables: request.customVariables ?? [],
            campaign: campaign.name ?? "")
        let message = OfflineMessageRecord(
            siteId: request.siteId, campaignId: request.campaignId, visitorId: request.visitorId, time: self.clock.milliseconds(),
            ssoUserId: request.ssoUserId,
            name: request.name, email: request.email, departmentId: request.departmentId ?? 0, agentId: 0,
            segmentId: config.isEnableVisitorSegmentation == true ? try await self.segment(for: facts, siteId: request.siteId) : 0,
            content: config.isEnableCreditCardMasking == true ? CardMasking.masked(request.content) : request.content, fields: request.fields ?? [],
            customVariables: request.customVariables ?? [], attachment: request.attachment
        )
        let submitted = try await self.webhooks.prepare(.offlineMessageSubmitted, siteId: request.siteId)
        return try await self.database.withTransaction { database in
            var message = message
            message.id = try await ChatSQLRepository(sql: database).create(message)
            if let submitted { try await submitted.enqueue(submitted.presenter.offlineMessage(message), at: message.time, on: database) }
            return message.id
        }
    }

    // MARK: Shared steps

    func addMessage(_ message: ChatMessageRecord, to chat: ChatRecord) async throws {
        var message = message
        if try await self.configs.config(site: Site(id: chat.siteId)).isEnableCreditCardMasking == true {
            message.content = CardMasking.masked(message.content)
        }
        try await self.chats.addMessage(message, chatId: chat.id)
    }

    /// Ends a chat: a queued one becomes missed, an active one ended (firing `chatEnded`).
    func end(_ chat: ChatRecord, by who: String) async throws {
        var chat = chat
        let now = self.clock.milliseconds()
        switch chat.status {
        case .queued: chat.status = .missed
        case .active: chat.status = .ended
        case .ended, .missed, .refused: throw ServiceError(.conflict, message: "The chat has already ended.")
        }
        chat.endTime = now
        let line = ChatMessageRecord(time: now, sender: "System", type: "system", content: "\(who) ended the chat.")
        let ended = chat.status == .ended ? try await self.webhooks.prepare(.chatEnded, siteId: chat.siteId) : nil
        let earlier = ended == nil ? [] : try await self.chats.messages(chatId: chat.id)
        try await self.database.withTransaction { [chat] database in
            let chats = ChatSQLRepository(sql: database)
            try await chats.update(chat)
            try await chats.addMessage(line, chatId: chat.id)
            if let ended { try await ended.enqueue(ended.presenter.chat(chat, messages: earlier + [line]), at: now, on: database) }
        }
    }

    func campaign(_ scope: ConfigurationRequest) async throws -> LiveChatCampaign {
        guard let stored = try await self.store.item(id: scope.campaignId, in: ConfigurationScope(siteId: scope.siteId, kind: CampaignRules.kind))
        else {
            throw ServiceError.notFound("Campaign")
        }
        return try stored.body.decode(as: LiveChatCampaign.self)
    }

    func checkBans(siteId: String, visitorId: String, ip: String?) async throws {
        let records = try await self.bans.bans(siteId: siteId).compactMap { ban -> LiveChatBanRecord? in
            guard let id = ban.id else { return nil }
            if ban.type == "visitor", let visitor = ban.visitorId { return LiveChatBanRecord(id: id, kind: .visitor(visitor)) }
            if let address = ban.ipAddress, let range = IPRange(address) { return LiveChatBanRecord(id: id, kind: .ip(range)) }
            return nil
        }
        if BanMatcher.ban(for: visitorId, ip: ip, in: records) != nil { throw ServiceError.forbidden("The visitor is banned from this site.") }
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
        let campaign = try await self.campaign(scope)
        try await self.checkBans(siteId: request.siteId, visitorId: request.visitorId, ip: request.ipAddress)
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
        let segments = try await self.store.items(in: ConfigurationScope(siteId: siteId, kind: VisitorSegmentRules.kind), visibleTo: nil).compactMap {
            stored -> (Int, LiveChatVisitorSegment)? in
            (try? stored.body.decode(as: LiveChatVisitorSegment.self)).map { (stored.id, $0) }
        }.filter { $0.1.isEnable == true }.sorted { ($0.1.priority ?? 0, $0.0) < ($1.1.priority ?? 0, $1.0) }
        return segments.first { (try? VisitorConditions.compiled($0.1.conditions))?.matches(facts) == true }?.0 ?? 0
    }

    func presenter(site: Site, time: HistoryTime? = nil) async throws -> ChatPresenter {
        try await ChatPresenter(siteId: site.id, agents: self.agents, store: self.store, time: try time ?? HistoryTime(timezone: nil))
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
