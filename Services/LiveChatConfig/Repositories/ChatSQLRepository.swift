import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chats, offline messages and agent chats on SQLite or PostgreSQL, written against one `SQLDatabase` so the
/// runtime can put a chat change and its webhook events in one transaction.
struct ChatSQLRepository: Sendable {
    let sql: any SQLDatabase

    // MARK: Chats

    func create(_ chat: ChatRecord, visitorTokenHash: String) async throws -> Int {
        let row = try await self.sql.raw("""
            INSERT INTO chats (site_id, campaign_id, visitor_id, visitor_ip, sso_user_id, name, email, department_id, agent_id, status, priority, segment_id,
                request_time, accept_time, end_time, prechat, custom_variables, attachments, visitor_token_hash)
            VALUES (\(bind: chat.siteId), \(bind: chat.campaignId), \(bind: chat.visitorId), \(bind: chat.visitorIP), \(bind: chat.ssoUserId), \(bind: chat.name),
                \(bind: chat.email), \(bind: chat.departmentId), \(bind: chat.agentId), \(bind: chat.status.rawValue), \(bind: chat.priority), \(bind: chat.segmentId),
                \(bind: chat.requestTime), \(bind: chat.acceptTime), \(bind: chat.endTime), \(bind: try Self.text(chat.prechat)),
                \(bind: try Self.text(chat.customVariables)), \(bind: try Self.text(chat.attachments)), \(bind: visitorTokenHash))
            RETURNING id
            """).first()
        let id = try row?.decode(column: "id", as: Int.self) ?? 0
        for agent in chat.participants { try await self.addParticipant(chatId: id, agentId: agent) }
        return id
    }

    func update(_ chat: ChatRecord) async throws {
        try await self.sql.raw("""
            UPDATE chats SET department_id = \(bind: chat.departmentId), agent_id = \(bind: chat.agentId), status = \(bind: chat.status.rawValue),
                accept_time = \(bind: chat.acceptTime), end_time = \(bind: chat.endTime), postchat = \(bind: try chat.postChat.map(Self.text)),
                wrapup = \(bind: try chat.wrapup.map(Self.text)), wrapup_category_id = \(bind: chat.wrapupCategoryId), attachments = \(bind: try Self.text(chat.attachments))
            WHERE id = \(bind: chat.id) AND site_id = \(bind: chat.siteId)
            """).run()
    }

    func addParticipant(chatId: Int, agentId: Int) async throws {
        try await self.sql.raw("""
            INSERT INTO chat_agents (chat_id, agent_id) VALUES (\(bind: chatId), \(bind: agentId)) ON CONFLICT (chat_id, agent_id) DO NOTHING
            """).run()
    }

    func addMessage(_ message: ChatMessageRecord, chatId: Int) async throws {
        try await self.sql.raw("""
            INSERT INTO chat_messages (chat_id, time, sender, type, content)
            VALUES (\(bind: chatId), \(bind: message.time), \(bind: message.sender), \(bind: message.type), \(bind: message.content))
            """).run()
    }

    func chat(id: Int, siteId: String) async throws -> ChatRecord? {
        try await self.chats(where: "chats.id = \(id)", siteId: siteId).first
    }

    /// The chat a visitor's token opens.
    func chat(id: Int, visitorTokenHash: String) async throws -> ChatRecord? {
        guard let row = try await self.sql.raw("SELECT site_id FROM chats WHERE id = \(bind: id) AND visitor_token_hash = \(bind: visitorTokenHash)").first() else {
            return nil
        }
        return try await self.chat(id: id, siteId: try row.decode(column: "site_id", as: String.self))
    }

    func messages(chatId: Int) async throws -> [ChatMessageRecord] {
        try await self.sql.raw("SELECT time, sender, type, content FROM chat_messages WHERE chat_id = \(bind: chatId) ORDER BY id").all().map { row in
            ChatMessageRecord(
                time: try row.decode(column: "time", as: Int64.self), sender: try row.decode(column: "sender", as: String.self),
                type: try row.decode(column: "type", as: String.self), content: try row.decode(column: "content", as: String.self)
            )
        }
    }

    /// Chats requested in `[from, to)`, oldest first.
    func chats(siteId: String, from: Int64, to: Int64) async throws -> [ChatRecord] {
        try await self.chats(where: "chats.request_time >= \(from) AND chats.request_time < \(to)", siteId: siteId)
    }

    /// Active chats per agent of the site.
    func ongoingChats(siteId: String) async throws -> [Int: Int] {
        let rows = try await self.sql.raw("""
            SELECT agent_id, COUNT(*) AS n FROM chats WHERE site_id = \(bind: siteId) AND status = 'active' GROUP BY agent_id
            """).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(column: "agent_id", as: Int.self), try $0.decode(column: "n", as: Int.self)) })
    }

    /// The agent of the visitor's latest answered chat.
    func lastAgent(visitorId: String, siteId: String) async throws -> Int? {
        try await self.sql.raw("""
            SELECT agent_id FROM chats WHERE site_id = \(bind: siteId) AND visitor_id = \(bind: visitorId) AND agent_id <> 0 AND status IN ('active', 'ended')
            ORDER BY request_time DESC, id DESC LIMIT 1
            """).first()?.decode(column: "agent_id", as: Int.self)
    }

    /// `clause` names columns as `chats.<column>` and holds only numbers the caller formatted, never client text.
    private func chats(where clause: String, siteId: String) async throws -> [ChatRecord] {
        let rows = try await self.sql.raw("""
            SELECT * FROM chats WHERE site_id = \(bind: siteId) AND \(unsafeRaw: clause) ORDER BY request_time, id
            """).all()
        guard !rows.isEmpty else { return [] }
        // The participants of all these chats in one query rather than one per chat.
        var participants: [Int: [Int]] = [:]
        for row in try await self.sql.raw("""
            SELECT chat_agents.chat_id, chat_agents.agent_id FROM chat_agents JOIN chats ON chats.id = chat_agents.chat_id
            WHERE chats.site_id = \(bind: siteId) AND \(unsafeRaw: clause) ORDER BY chat_agents.agent_id
            """).all() {
            participants[try row.decode(column: "chat_id", as: Int.self), default: []].append(try row.decode(column: "agent_id", as: Int.self))
        }
        var chats: [ChatRecord] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            chats.append(ChatRecord(
                id: id, siteId: siteId, campaignId: try row.decode(column: "campaign_id", as: Int.self), visitorId: try row.decode(column: "visitor_id", as: String.self),
                visitorIP: try row.decode(column: "visitor_ip", as: String?.self), ssoUserId: try row.decode(column: "sso_user_id", as: String?.self),
                name: try row.decode(column: "name", as: String?.self), email: try row.decode(column: "email", as: String?.self),
                departmentId: try row.decode(column: "department_id", as: Int.self), agentId: try row.decode(column: "agent_id", as: Int.self),
                status: ChatStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .ended, priority: try row.decode(column: "priority", as: String.self),
                segmentId: try row.decode(column: "segment_id", as: Int.self), requestTime: try row.decode(column: "request_time", as: Int64.self),
                acceptTime: try row.decode(column: "accept_time", as: Int64?.self), endTime: try row.decode(column: "end_time", as: Int64?.self),
                prechat: try Self.value(try row.decode(column: "prechat", as: String.self)),
                customVariables: try Self.value(try row.decode(column: "custom_variables", as: String.self)),
                postChat: try row.decode(column: "postchat", as: String?.self).map(Self.value), wrapup: try row.decode(column: "wrapup", as: String?.self).map(Self.value),
                wrapupCategoryId: try row.decode(column: "wrapup_category_id", as: Int.self),
                attachments: try Self.value(try row.decode(column: "attachments", as: String.self)), participants: participants[id] ?? []
            ))
        }
        return chats
    }

    // MARK: Round robin

    func lastAllocated(siteId: String, departmentId: Int) async throws -> Int? {
        try await self.sql.raw("""
            SELECT last_agent_id FROM allocation_cursors WHERE site_id = \(bind: siteId) AND department_id = \(bind: departmentId)
            """).first()?.decode(column: "last_agent_id", as: Int.self)
    }

    func setLastAllocated(_ agentId: Int, siteId: String, departmentId: Int) async throws {
        try await self.sql.raw("""
            INSERT INTO allocation_cursors (site_id, department_id, last_agent_id) VALUES (\(bind: siteId), \(bind: departmentId), \(bind: agentId))
            ON CONFLICT (site_id, department_id) DO UPDATE SET last_agent_id = excluded.last_agent_id
            """).run()
    }

    // MARK: Offline messages

    func create(_ message: OfflineMessageRecord) async throws -> Int {
        let row = try await self.sql.raw("""
            INSERT INTO offline_messages (site_id, campaign_id, visitor_id, time, sso_user_id, name, email, department_id, agent_id, segment_id, content,
                fields, custom_variables, attachment)
            VALUES (\(bind: message.siteId), \(bind: message.campaignId), \(bind: message.visitorId), \(bind: message.time), \(bind: message.ssoUserId),
                \(bind: message.name), \(bind: message.email), \(bind: message.departmentId), \(bind: message.agentId), \(bind: message.segmentId),
                \(bind: message.content), \(bind: try Self.text(message.fields)), \(bind: try Self.text(message.customVariables)),
                \(bind: try message.attachment.map(Self.text)))
            RETURNING id
            """).first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    func offlineMessages(siteId: String, from: Int64, to: Int64) async throws -> [OfflineMessageRecord] {
        try await self.sql.raw("""
            SELECT * FROM offline_messages WHERE site_id = \(bind: siteId) AND time >= \(bind: from) AND time < \(bind: to) ORDER BY time, id
            """).all().map { row in
            OfflineMessageRecord(
                id: try row.decode(column: "id", as: Int.self), siteId: siteId, campaignId: try row.decode(column: "campaign_id", as: Int.self),
                visitorId: try row.decode(column: "visitor_id", as: String.self), time: try row.decode(column: "time", as: Int64.self),
                ssoUserId: try row.decode(column: "sso_user_id", as: String?.self), name: try row.decode(column: "name", as: String?.self),
                email: try row.decode(column: "email", as: String?.self), departmentId: try row.decode(column: "department_id", as: Int.self),
                agentId: try row.decode(column: "agent_id", as: Int.self), segmentId: try row.decode(column: "segment_id", as: Int.self),
                content: try row.decode(column: "content", as: String.self), fields: try Self.value(try row.decode(column: "fields", as: String.self)),
                customVariables: try Self.value(try row.decode(column: "custom_variables", as: String.self)),
                attachment: try row.decode(column: "attachment", as: String?.self).map(Self.value)
            )
        }
    }

    // MARK: Agent chats

    func createAgentChat(siteId: String, members: [Int], at time: Int64) async throws -> Int {
        let id = try await self.sql.raw("INSERT INTO agent_chats (site_id, started_at) VALUES (\(bind: siteId), \(bind: time)) RETURNING id").first()?
            .decode(column: "id", as: Int.self) ?? 0
        for member in Set(members) {
            try await self.sql.raw("INSERT INTO agent_chat_members (agent_chat_id, agent_id) VALUES (\(bind: id), \(bind: member))").run()
        }
        return id
    }

    /// The agent chat's members, when it belongs to the site.
    func agentChatMembers(id: Int, siteId: String) async throws -> [Int]? {
        guard try await self.sql.raw("SELECT id FROM agent_chats WHERE id = \(bind: id) AND site_id = \(bind: siteId)").first() != nil else { return nil }
        return try await self.sql.raw("SELECT agent_id FROM agent_chat_members WHERE agent_chat_id = \(bind: id) ORDER BY agent_id").all()
            .map { try $0.decode(column: "agent_id", as: Int.self) }
    }

    func addAgentChatMessage(agentChatId: Int, agentId: Int, content: String, at time: Int64) async throws {
        try await self.sql.raw("""
            INSERT INTO agent_chat_messages (agent_chat_id, time, agent_id, content) VALUES (\(bind: agentChatId), \(bind: time), \(bind: agentId), \(bind: content))
            """).run()
    }

    /// Agent chats started in `[from, to)`, with their members and lines.
    func agentChats(siteId: String, from: Int64, to: Int64) async throws -> [AgentChatRecord] {
        let rows = try await self.sql.raw("""
            SELECT id FROM agent_chats WHERE site_id = \(bind: siteId) AND started_at >= \(bind: from) AND started_at < \(bind: to) ORDER BY started_at, id
            """).all()
        var chats: [AgentChatRecord] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let messages = try await self.sql.raw("SELECT time, agent_id, content FROM agent_chat_messages WHERE agent_chat_id = \(bind: id) ORDER BY id").all().map {
                (time: try $0.decode(column: "time", as: Int64.self), agentId: try $0.decode(column: "agent_id", as: Int.self), content: try $0.decode(column: "content", as: String.self))
            }
            chats.append(AgentChatRecord(id: id, members: try await self.agentChatMembers(id: id, siteId: siteId) ?? [], messages: messages))
        }
        return chats
    }

    static func text(_ value: some Encodable) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
    static func value<T: Decodable>(_ text: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
}
