import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chatwoot's audit trail (Enterprise `audited`): the actions it audits (webhooks, inboxes, teams, account users,
/// automation rules, macros: create, update, destroy) write one row each, in the change's own transaction.
enum ChatwootAudit {
    /// What an audited change records: the caller, the request, and `audited_changes` as Chatwoot writes them
    /// (the attributes on create and destroy; `{"name": [old, new]}` on update).
    struct Entry: Sendable {
        var account: Int
        var userID: Int?
        var requestID: String?
        var remoteAddress: String?
        var type: String
        var id: Int
        var action: Action
        var changes: [String: JSONValue]
    }

    /// Who made a change: the user (nil for a bot) and the request.
    struct Actor: Sendable {
        var userID: Int?
        var requestID: String?
    }

    enum Action: String, Sendable {
        case create, update, destroy
    }

    /// Writes `entry` on `tx`; its version is one more than the object's last.
    static func record(_ entry: Entry, tx: Tx, at now: Int64) async throws {
        let last = try await tx.sql.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "version").from("audit_logs")
            .where("auditable_type", .equal, entry.type).where("auditable_id", .equal, entry.id).first(VersionRow.self)
        var username: String?
        if let user = entry.userID {
            username = try await tx.sql.select().column("email").from("users").where("id", .equal, user).first(EmailRow.self)?.email
        }
        try await tx.sql.insert(into: "audit_logs")
            .columns(
                "account_id", "auditable_type", "auditable_id", "action", "audited_changes", "version", "user_id", "username", "request_uuid",
                "remote_address", "created_at"
            )
            .values(
                entry.account, entry.type, entry.id, entry.action.rawValue, try ChatwootRows.text(.object(entry.changes)), (last?.version ?? 0) + 1,
                entry.userID, username, entry.requestID ?? UUID().uuidString.lowercased(), entry.remoteAddress, now
            ).run()
    }

    /// `{"name": [old, new]}` for each member that changed between two attribute sets.
    static func changes(from old: [String: JSONValue], to new: [String: JSONValue]) -> [String: JSONValue] {
        var changed: [String: JSONValue] = [:]
        for (name, value) in new where old[name] != value { changed[name] = .array([old[name] ?? .null, value]) }
        return changed
    }

    private struct VersionRow: Decodable { var version: Int? }
    private struct EmailRow: Decodable { var email: String }
}
