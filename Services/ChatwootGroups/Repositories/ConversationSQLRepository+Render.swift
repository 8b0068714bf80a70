import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

extension ConversationSQLRepository {
    /// Conversations as Chatwoot's `_conversation` partial renders them: contact, channel, assignee, team, labels,
    /// the last message, the last non-activity message and the unread count, each loaded once for the whole page.
    func render(_ rows: [Row]) async throws -> [ChatwootConversation] {
        guard !rows.isEmpty else { return [] }
        return try await self.database.read { tx in
            let sql = tx.sql
            let ids = rows.map(\.id)
            let displayIDs = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.displayId) })
            let labels = try await self.labels(sql, ids)
            let contacts = Dictionary(
                uniqueKeysWithValues: try await MessageSQLRepository.contacts(sql, rows.map(\.contactId)).map { ($0.id, $0) })
            let channels = Dictionary(
                uniqueKeysWithValues: try await sql.select().columns("id", "channel_type").from("inboxes").where(
                    "id", .in, Array(Set(rows.map(\.inboxId)))
                )
                .all(ChannelRow.self).map { ($0.id, $0.channelType) })
            let assignees = try await self.assignees(sql, account: rows[0].accountId, Array(Set(rows.compactMap(\.assigneeId))))
            let teams = try await self.teams(sql, Array(Set(rows.compactMap(\.teamId))))
            let verified = Dictionary(
                uniqueKeysWithValues: try await sql.select().columns("id", "hmac_verified").from("contact_inboxes")
                    .where("id", .in, rows.compactMap(\.contactInboxId) + [-1]).all(VerifiedRow.self).map { ($0.id, $0.hmacVerified) })
            // The last message and the last one that is not an activity, of each conversation.
            let lastIDs = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "id").from("messages")
                .where("conversation_id", .in, ids).groupBy("conversation_id").all(IDRow.self).map { Int($0.id) }
            let lastNonActivityIDs = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "id").from("messages")
                .where("conversation_id", .in, ids).where("message_type", .notEqual, MessageSQLRepository.activity).groupBy("conversation_id")
                .all(IDRow.self).map { Int($0.id) }
            let wanted = Array(Set(lastIDs + lastNonActivityIDs))
            let lastRows =
                wanted.isEmpty
                ? []
                : try await sql.select().columns(MessageSQLRepository.columns).from("messages").where("id", .in, wanted)
                    .all(MessageSQLRepository.Row.self)
            let rendered = Dictionary(
                uniqueKeysWithValues: try await self.messages.render(sql, lastRows, displayIDs: displayIDs).map { ($0.id, $0) })
            let lastByConversation = Dictionary(grouping: lastRows, by: \.conversationId)
            // Unread: incoming messages after the agents last saw the conversation.
            let unread = try await sql.select().column(SQLColumn("conversation_id", table: "m"), as: "conversation_id")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from(SQLAlias(SQLIdentifier("messages"), as: SQLIdentifier("m")))
                .join(
                    SQLAlias(SQLIdentifier("conversations"), as: SQLIdentifier("c")), on: SQLColumn("conversation_id", table: "m"), .equal,
                    SQLColumn("id", table: "c")
                )
                .where(SQLColumn("conversation_id", table: "m"), .in, SQLBind.group(ids))
                .where(SQLColumn("message_type", table: "m"), .equal, SQLBind(MessageSQLRepository.incoming))
                .where(
                    SQLColumn("created_at", table: "m"), .greaterThan,
                    SQLFunction("COALESCE", args: SQLColumn("agent_last_seen_at", table: "c"), SQLLiteral.numeric("0"))
                )
                .groupBy(SQLColumn("conversation_id", table: "m")).all(UnreadRow.self)
            let unreadCounts = Dictionary(uniqueKeysWithValues: unread.map { ($0.conversationId, Int($0.count)) })
            return rows.map { row in
                let own = lastByConversation[row.id] ?? []
                let last = own.max { $0.id < $1.id }.flatMap { rendered[$0.id] }
                let lastNonActivity = own.filter { $0.messageType != MessageSQLRepository.activity }.max { $0.id < $1.id }.flatMap { rendered[$0.id] }
                return ChatwootConversation(
                    meta: .init(
                        sender: contacts[row.contactId], channel: channels[row.inboxId] ?? "", assignee: row.assigneeId.flatMap { assignees[$0] },
                        team: row.teamId.flatMap { teams[$0] }, hmacVerified: row.contactInboxId.flatMap { verified[$0] } ?? false),
                    id: row.displayId, messages: last.map { [$0] } ?? [], accountId: row.accountId, uuid: row.uuid,
                    additionalAttributes: ChatwootRows.json(row.additionalAttributes), agentLastSeenAt: (row.agentLastSeenAt ?? 0) / 1000,
                    assigneeLastSeenAt: (row.assigneeLastSeenAt ?? 0) / 1000, contactLastSeenAt: (row.contactLastSeenAt ?? 0) / 1000,
                    customAttributes: ChatwootRows.json(row.customAttributes), inboxId: row.inboxId, labels: labels[row.id] ?? [], muted: row.muted,
                    snoozedUntil: row.snoozedUntil.map { $0 / 1000 }, status: row.status, createdAt: row.createdAt / 1000,
                    updatedAt: row.updatedAt / 1000, firstReplyCreatedAt: (row.firstReplyCreatedAt ?? 0) / 1000,
                    unreadCount: unreadCounts[row.id] ?? 0,
                    lastNonActivityMessage: lastNonActivity, lastActivityAt: row.lastActivityAt / 1000, priority: row.priority,
                    waitingSince: (row.waitingSince ?? 0) / 1000)
            }
        }
    }

    /// Account members as Chatwoot's `_agent` partial shows them.
    func assignees(_ sql: any SQLDatabase, account: Int, _ ids: [Int]) async throws -> [Int: ChatwootConversationAssignee] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select()
            .columns(
                SQLColumn("id", table: "u"), SQLColumn("name", table: "u"), SQLColumn("display_name", table: "u"), SQLColumn("email", table: "u"),
                SQLColumn("role", table: "m"), SQLColumn("availability", table: "m"), SQLColumn("auto_offline", table: "m")
            )
            .from(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")))
            .join(
                SQLAlias(SQLIdentifier("account_users"), as: SQLIdentifier("m")), on: SQLColumn("user_id", table: "m"), .equal,
                SQLColumn("id", table: "u")
            )
            .where(SQLColumn("account_id", table: "m"), .equal, SQLBind(account)).where(SQLColumn("id", table: "u"), .in, SQLBind.group(ids))
            .all(AssigneeRow.self)
        return Dictionary(
            uniqueKeysWithValues: rows.map {
                (
                    $0.id,
                    ChatwootConversationAssignee(
                        id: $0.id, accountId: account, availabilityStatus: $0.availability, autoOffline: $0.autoOffline, email: $0.email,
                        name: $0.name,
                        displayName: $0.displayName, role: $0.role)
                )
            })
    }

    /// Teams as Chatwoot's `_team` partial shows them.
    func teams(_ sql: any SQLDatabase, _ ids: [Int]) async throws -> [Int: ChatwootConversationTeam] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("id", "account_id", "name", "description", "allow_auto_assign").from("teams").where("id", .in, ids)
            .all(TeamRow.self)
        return Dictionary(
            uniqueKeysWithValues: rows.map {
                (
                    $0.id,
                    ChatwootConversationTeam(
                        id: $0.id, name: $0.name, description: $0.description, allowAutoAssign: $0.allowAutoAssign, accountId: $0.accountId)
                )
            })
    }

    private struct ChannelRow: Codable {
        var id: Int
        var channelType: String
    }

    private struct VerifiedRow: Codable {
        var id: Int
        var hmacVerified: Bool
    }

    private struct UnreadRow: Codable {
        var conversationId: Int
        var count: Int64
    }

    private struct AssigneeRow: Codable {
        var id: Int
        var name: String
        var displayName: String?
        var email: String
        var role: String
        var availability: String
        var autoOffline: Bool
    }

    private struct TeamRow: Codable {
        var id: Int
        var accountId: Int
        var name: String
        var description: String?
        var allowAutoAssign: Bool
    }
}
