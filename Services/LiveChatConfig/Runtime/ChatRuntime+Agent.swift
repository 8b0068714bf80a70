import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// The agent's side of chats.
extension ChatRuntime {
    /// The chat in the agent's site.
    func chat(id: Int, for agent: Identity) async throws -> ChatRecord {
        guard let chat = try await self.chats.chat(id: id, siteId: agent.tenant) else { throw ServiceError.notFound("Chat") }
        return chat
    }

    /// The agent's record; disabled agents cannot take chats.
    func agentRecord(_ identity: Identity) async throws -> LiveChatAgentRecord {
        guard let id = Int(identity.principalID), let agent = try await self.agents.agent(id: id, siteId: identity.tenant), agent.isActive else {
            throw ServiceError.forbidden("Only an agent can take part in chats.")
        }
        return agent
    }

    /// Takes a waiting chat (an agent's manual accept).
    func accept(chatId: Int, by identity: Identity) async throws -> ChatRecord {
        var chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
        guard chat.status == .queued else { throw ServiceError(.conflict, message: "Only a waiting chat can be accepted.") }
        let now = self.clock.milliseconds()
        chat.status = .active
        chat.agentId = agent.id
        chat.acceptTime = now
        chat.participants = Array(Set(chat.participants + [agent.id])).sorted()
        let joined = ChatMessageRecord(time: now, sender: "System", type: "system", content: "\(agent.displayName) has joined the chat.")
        let started = try await self.webhooks.prepare(.chatStarted, siteId: chat.siteId)
        let earlier = started == nil ? [] : try await self.chats.messages(chatId: chat.id)
        try await self.database.withTransaction { [chat] database in
            let chats = ChatSQLRepository(sql: database)
            try await chats.update(chat)
            try await chats.addParticipant(chatId: chat.id, agentId: agent.id)
            try await chats.addMessage(joined, chatId: chat.id)
            if let started { try await started.enqueue(started.presenter.chat(chat, messages: earlier + [joined]), at: now, on: database) }
        }
        return chat
    }

    /// Declines a waiting chat; it is recorded as refused.
    func refuse(chatId: Int, by identity: Identity) async throws -> ChatRecord {
        var chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
        guard chat.status == .queued else { throw ServiceError(.conflict, message: "Only a waiting chat can be refused.") }
        chat.status = .refused
        chat.endTime = self.clock.milliseconds()
        chat.agentId = agent.id
        try await self.chats.update(chat)
        return chat
    }

    /// An agent's line: only the agent serving the chat writes in it.
    func agentMessage(chatId: Int, by identity: Identity, content: String) async throws {
        let chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
        guard chat.status == .active else { throw ServiceError(.conflict, message: "Only an active chat takes messages.") }
        guard chat.agentId == agent.id else { throw ServiceError.forbidden("Only the agent serving the chat can write in it.") }
        try await self.addMessage(
            ChatMessageRecord(time: self.clock.milliseconds(), sender: agent.displayName, type: "agent", content: content), to: chat)
    }

    /// Hands an active chat to another agent, or to whoever of a department allocation picks.
    func transfer(chatId: Int, by identity: Identity, toAgent: Int?, toDepartment: Int?) async throws -> ChatRecord {
        var chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
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
            guard try await self.store.item(id: toDepartment, in: ConfigurationScope(siteId: identity.tenant, kind: DepartmentRules.kind)) != nil
            else {
                throw Validation.invalid("departmentId", "Department \(toDepartment) does not exist.")
            }
            var config = try await self.configs.config(site: Site(id: identity.tenant))
            config.isEnableAutoAllocation = true  // a transfer to a department always picks someone
            let allocation = try await self.allocate(
                .department(toDepartment, priority: .normal), site: Site(id: identity.tenant), visitorId: chat.visitorId, config: config)
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
        let line = ChatMessageRecord(
            time: self.clock.milliseconds(), sender: "System", type: "system",
            content: "The chat was transferred from \(agent.displayName) to \(target.displayName).")
        try await self.database.withTransaction { [chat] database in
            let chats = ChatSQLRepository(sql: database)
            try await chats.update(chat)
            try await chats.addParticipant(chatId: chat.id, agentId: target.id)
            try await chats.addMessage(line, chatId: chat.id)
        }
        return chat
    }

    func agentEnd(chatId: Int, by identity: Identity) async throws {
        let chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
        guard chat.participants.contains(agent.id) || identity.isAdministrator else {
            throw ServiceError.forbidden("Only an agent of the chat can end it.")
        }
        try await self.end(chat, by: agent.displayName)
    }

    /// Records the wrap-up of an answered chat and fires `chatWrappedUp`.
    func wrapUp(chatId: Int, by identity: Identity, wrapup: LiveChatWrapup) async throws -> ChatRecord {
        var chat = try await self.chat(id: chatId, for: identity)
        let agent = try await self.agentRecord(identity)
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
        chat.wrapup = wrapup
        let now = self.clock.milliseconds()
        let wrapped = try await self.webhooks.prepare(.chatWrappedUp, siteId: chat.siteId)
        let messages = wrapped == nil ? [] : try await self.chats.messages(chatId: chat.id)
        try await self.database.withTransaction { [chat] database in
            try await ChatSQLRepository(sql: database).update(chat)
            if let wrapped { try await wrapped.enqueue(wrapped.presenter.chat(chat, messages: messages), at: now, on: database) }
        }
        return chat
    }

    /// Starts a conversation with other agents of the site, or adds a line to one the agent is in.
    func agentChat(id: Int?, with others: [Int], by identity: Identity, content: String) async throws -> Int {
        let agent = try await self.agentRecord(identity)
        let now = self.clock.milliseconds()
        if let id {
            guard let members = try await self.chats.agentChatMembers(id: id, siteId: identity.tenant), members.contains(agent.id) else {
                throw ServiceError.notFound("Agent chat")
            }
            try await self.chats.addAgentChatMessage(agentChatId: id, agentId: agent.id, content: content, at: now)
            return id
        }
        guard !others.isEmpty else { throw ServiceError.missing("agentIds") }
        for other in others where try await self.agents.agent(id: other, siteId: identity.tenant) == nil {
            throw Validation.invalid("agentIds", "Agent \(other) does not exist.")
        }
        return try await self.database.withTransaction { database in
            let chats = ChatSQLRepository(sql: database)
            let created = try await chats.createAgentChat(siteId: identity.tenant, members: others + [agent.id], at: now)
            try await chats.addAgentChatMessage(agentChatId: created, agentId: agent.id, content: content, at: now)
            return created
        }
    }
}
