import Foundation
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension ChatwootAuditLogPage: ResponseEncodable {}

/// The account's audit logs (`GET /api/v1/accounts/{account_id}/audit_logs`): administrators only, 15 a page, newest first.
struct AuditLogController {
    let access: ChatwootAccess
    let database: Database

    static let pageSize = 15

    /// An audit log row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var auditableType: String
        var auditableId: Int
        var action: String
        var auditedChanges: String
        var version: Int
        var userId: Int?
        var username: String?
        var requestUuid: String
        var remoteAddress: String?
        var createdAt: Int64
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Audit Logs")
            .get(
                "/{account_id}/audit_logs", "List Audit Logs in Account", returns: ChatwootAuditLogPage.self,
                query: [QueryParameter("page", "Page number (15 entries a page)", .integer)], use: self.list)
    }

    /// One page of the account's audit logs.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAuditLogPage {
        let caller = try await self.access.administrator(context)
        let page = max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1)
        let account = caller.accountID
        let (rows, total) = try await self.database.read { tx in
            let rows = try await tx.sql.select()
                .columns(
                    "id", "account_id", "auditable_type", "auditable_id", "action", "audited_changes", "version", "user_id", "username",
                    "request_uuid",
                    "remote_address", "created_at"
                )
                .from("audit_logs").where("account_id", .equal, account).orderBy("id", .descending).limit(Self.pageSize)
                .offset((page - 1) * Self.pageSize).all(Row.self)
            let total = try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("audit_logs")
                .where("account_id", .equal, account).first(CountRow.self)
            return (rows, Int(total?.count ?? 0))
        }
        return ChatwootAuditLogPage(
            perPage: Self.pageSize, totalEntries: total, currentPage: page,
            auditLogs: rows.map { row in
                ChatwootAuditLog(
                    id: row.id, auditableId: row.auditableId, auditableType: row.auditableType, accountId: row.accountId, userId: row.userId,
                    username: row.username, action: row.action, auditedChanges: ChatwootRows.json(row.auditedChanges), version: row.version,
                    requestUuid: row.requestUuid, createdAt: Int(row.createdAt / 1000), remoteAddress: row.remoteAddress)
            })
    }
}
