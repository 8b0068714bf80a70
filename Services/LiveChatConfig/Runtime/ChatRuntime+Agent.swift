import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// The agent's side of chats.
extension ChatRuntime {
    /// The agent's record; disabled agents cannot take chats.
    func agentRecord(_ identity: Identity) async throws -> LiveChatAgentRecord {
        guard let id = Int(identity.principalID), let agent = try await self.agents.agent(id: id, siteId: identity.tenant), agent.isActive else {
            throw ServiceError.forbidden("Only an agent can take part in chats.")
        }
        return agent
    }

    /// `change` on the chat in the agent's site, given the agent's record.
    @discardableResult
    func change(
        _ chatId: Int, by identity: Identity, _ change: @Sendable (inout ChatRecord, LiveChatAgentRecord) async throws -> ChatStep
    ) async throws -> ChatRecord {
        let find: @Sendable (ChatSQLRepository) async throws -> ChatRecord? = { try await $0.chat(id: chatId, siteId: identity.tenant, locked: true) }
        return try await self.change(find) { chat in try await change(&chat, try await self.agentRecord(identity)) }
    }

    /// Takes a waiting chat (an agent's manual accept), firing `chatStarted`.
    func accept(chatId: Int, by identity: Identity) async throws {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.status == .queued else { throw ServiceError(.conflict, message: "Only a waiting chat can be accepted.") }
            let now = self.clock.milliseconds()
            chat.status = .active
            chat.agentId = agent.id
            chat.acceptTime = now
            chat.participants = Array(Set(chat.participants + [agent.id])).sorted()
            return (
                ChatMessageRecord(time: now, sender: "System", type: "system", content: "\(agent.displayName) has joined the chat."), .chatStarted
            )
        }
    }

    /// Declines a waiting chat; it is recorded as refused.
    func refuse(chatId: Int, by identity: Identity) async throws {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.status == .queued else { throw ServiceError(.conflict, message: "Only a waiting chat can be refused.") }
            chat.status = .refused
            chat.endTime = self.clock.milliseconds()
            chat.agentId = agent.id
            return (nil, nil)
        }
    }

    /// An agent's line: only the agent serving the chat writes in it.
    func agentMessage(chatId: Int, by identity: Identity, content: String) async throws {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.status == .active else { throw ServiceError(.conflict, message: "Only an active chat takes messages.") }
            guard chat.agentId == agent.id else { throw ServiceError.forbidden("Only the agent serving the chat can write in it.") }
            let line = ChatMessageRecord(time: self.clock.milliseconds(), sender: agent.displayName, type: "agent", content: content)
            return (try await self.masked(line, siteId: chat.siteId), nil)
        }
    }

    /// Hands an active chat to another agent, or to whoever of a department allocation picks.
    func transfer(chatId: Int, by identity: Identity, toAgent: Int?, toDepartment: Int?) async throws -> ChatRecord {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.status == .active else { throw ServiceError(.conflict, message: "Only an active chat can be transferred.") }
            guard chat.agentId == agent.id || identity.isAdministrator else {
                throw ServiceError.forbidden("Only the agent serving the chat can transfer it.")
            }
            let target: LiveChatAgentRecord
            if let toAgent {
                guard let other = try await self.agents.agent(id: toAgent, siteId: identity.tenant), other.isActive else {
                    throw Validation.invalid("agentId", "Agent \(toAgent) does not exist.")
                }
                guard other.status == "online" else { throw ServiceError(.conflict, message: "Agent \(toAgent) is not online.") }
                target = other
            } else if let toDepartment {
                guard try await self.store.contains(id: toDepartment, in: ConfigurationScope(siteId: identity.tenant, kind: DepartmentRules.kind))
                else {
                    throw Validation.invalid("departmentId", "Department \(toDepartment) does not exist.")
                }
                var config = try await self.configs.config(site: Site(id: identity.tenant))
                config.isEnableAutoAllocation = true  // a transfer to a department always picks someone
                let visitorId = chat.visitorId
                let allocation = try await self.database.write(site: identity.tenant) { [config] _ in
                    try await self.allocate(
                        .department(toDepartment, priority: .normal), site: Site(id: identity.tenant), visitorId: visitorId, config: config)
                }
                guard let picked = allocation.agent, picked.id != agent.id else {
                    throw ServiceError(.conflict, message: "No other agent of department \(toDepartment) can take the chat.")
                }
                target = picked
                chat.departmentId = toDepartment
            } else {
                throw ServiceError.missing("agentId")
            }
            chat.agentId = target.id
            chat.participants = Array(Set(chat.participants + [target.id])).sorted()
            let line = "The chat was transferred from \(agent.displayName) to \(target.displayName)."
            return (ChatMessageRecord(time: self.clock.milliseconds(), sender: "System", type: "system", content: line), nil)
        }
    }

    func agentEnd(chatId: Int, by identity: Identity) async throws {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.participants.contains(agent.id) || identity.isAdministrator else {
                throw ServiceError.forbidden("Only an agent of the chat can end it.")
            }
            return try self.end(&chat, by: agent.displayName)
        }
    }

    /// Records the wrap-up of an answered chat and fires `chatWrappedUp`.
    func wrapUp(chatId: Int, by identity: Identity, wrapup: LiveChatWrapup) async throws {
        try await self.change(chatId, by: identity) { chat, agent in
            guard chat.status == .active || chat.status == .ended else {
                throw ServiceError(.conflict, message: "Only an answered chat can be wrapped up.")
            }
            guard chat.participants.contains(agent.id) else { throw ServiceError.forbidden("Only an agent of the chat can wrap it up.") }
            let scope = ConfigurationRequest(site: Site(id: chat.siteId), campaignId: chat.campaignId)
            let form = (try? await SettingReader(rules: AgentWrapupRules(), store: self.store).value(in: scope)) ?? []
            chat.wrapupCategoryId = 0
            if let category = wrapup.category, !category.isEmpty {
                let options = (form.first { $0.type == .category }?.options ?? "").split(whereSeparator: \.isNewline).map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                }
                guard let index = options.firstIndex(of: category.lowercased()) else {
                    throw Validation.invalid("category", "'\(category)' is not a wrap-up category of the campaign.")
                }
                chat.wrapupCategoryId = index + 1
            }
            chat.wrapup = JSONText(wrapup)
            return (nil, .chatWrappedUp)
        }
    }

    /// Starts a conversation with other agents of the site, or adds a line to one the agent is in.
    func agentChat(id: Int?, with others: [Int], by identity: Identity, content: String) async throws -> Int {
        let agent = try await self.agentRecord(identity)
        let now = self.clock.milliseconds()
        return try await self.database.transaction { tx in
            var chatId = id ?? 0
            if let id {
                guard let members = try await tx.chats.agentChatMembers(id: id, siteId: identity.tenant), members.contains(agent.id) else {
                    throw ServiceError.notFound("Agent chat")
                }
            } else {
                guard !others.isEmpty else { throw ServiceError.missing("agentIds") }
                for other in others where try await self.agents.agent(id: other, siteId: identity.tenant) == nil {
                    throw Validation.invalid("agentIds", "Agent \(other) does not exist.")
                }
                chatId = try await tx.chats.createAgentChat(siteId: identity.tenant, members: others + [agent.id], at: now)
            }
            try await tx.chats.addAgentChatMessage(agentChatId: chatId, agentId: agent.id, content: content, at: now)
            return chatId
        }
    }
}
