import Foundation
import SQLKit
import ServiceKit

/// Chatwoot's `AutoAssignmentHandler` with its round robin (decision 360): a conversation that is open and has no
/// assignee who belongs to its inbox, in an inbox with `enable_auto_assignment`, goes to the next online member of the
/// inbox after the one the inbox gave the last conversation to (by user id, round and round), when it is created and
/// when it is opened again. Online: the member's availability is online and it is on `/cable` now, or it never goes
/// offline by itself (`auto_offline` false). Nobody online: it stays unassigned.
extension ConversationSQLRepository {
    /// The conversation after auto assignment (itself when it does not apply).
    @discardableResult func autoAssign(_ row: Row) async throws -> Row {
        guard row.status == "open" else { return row }
        let now = self.clock.milliseconds()
        let present = try await self.presence.users(account: row.accountId, at: now)
        let chosen: Int? = try await self.database.transaction { tx in
            // One inbox's round robin at a time (PostgreSQL; SQLite writes one at a time anyway).
            try await tx.lock(Self.roundRobinLockKey(inbox: row.inboxId))
            let settings = try await tx.sql.select().column("settings").from("inboxes").where("id", .equal, row.inboxId)
                .first(SettingsRow.self)
            let enabled =
                settings.flatMap { try? JSONDecoder().decode(AssignmentSettings.self, from: Data($0.settings.utf8)) }?
                .enableAutoAssignment ?? true
            guard enabled else { return nil }
            let members = try await tx.sql.select()
                .columns(SQLColumn("user_id", table: "m"), SQLColumn("availability", table: "a"), SQLColumn("auto_offline", table: "a"))
                .from(SQLAlias(SQLIdentifier("inbox_members"), as: SQLIdentifier("m")))
                .join(
                    SQLAlias(SQLIdentifier("account_users"), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                    on: SQLBinaryExpression(SQLColumn("user_id", table: "a"), .equal, SQLColumn("user_id", table: "m"))
                )
                .where(SQLColumn("inbox_id", table: "m"), .equal, SQLBind(row.inboxId))
                .where(SQLColumn("account_id", table: "a"), .equal, SQLBind(row.accountId))
                .orderBy(SQLColumn("user_id", table: "m")).all(MemberRow.self)
            if let assignee = row.assigneeId, members.contains(where: { $0.userId == assignee }) { return nil }
            let online = members.filter { $0.availability == "online" && (!$0.autoOffline || present.contains($0.userId)) }.map(\.userId)
            guard !online.isEmpty else { return nil }
            let last = try await tx.sql.select().column("last_user_id").from("inbox_round_robin").where("inbox_id", .equal, row.inboxId)
                .first(PointerRow.self)?.lastUserId
            let next = online.first { $0 > (last ?? Int.min) } ?? online[0]
            try await tx.sql.insert(into: "inbox_round_robin").columns("inbox_id", "last_user_id").values(row.inboxId, next)
                .onConflict(with: ["inbox_id"]) { $0.set(excludedValueOf: "last_user_id") }.run()
            return next
        }
        guard let chosen else { return row }
        var changes = Changes()
        changes.assigneeID = .some(chosen)
        return try await self.update(row, changes, actor: .system)
    }

    /// FNV-1a of the inbox in its own key space.
    static func roundRobinLockKey(inbox: Int) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "chatwoot-round-robin:\(inbox)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }

    private struct SettingsRow: Codable {
        var settings: String
    }

    private struct AssignmentSettings: Decodable {
        var enableAutoAssignment: Bool?
        enum CodingKeys: String, CodingKey { case enableAutoAssignment = "enable_auto_assignment" }
    }

    private struct MemberRow: Codable {
        var userId: Int
        var availability: String
        var autoOffline: Bool
    }

    private struct PointerRow: Codable {
        var lastUserId: Int
    }
}
