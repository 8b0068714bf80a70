import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

extension ConversationSQLRepository {
    /// The conversation section of Chatwoot's `filter_keys.yml`.
    static var filterAttributes: [ChatwootFilter.Attribute] {
        let numbers = ChatwootFilter.equality + ChatwootFilter.presence
        let additional = SQLColumn("additional_attributes", table: "conversations")
        return [
            .init("status", .text(caseInsensitive: false), column: SQLColumn("status", table: "conversations"), operators: ChatwootFilter.equality),
            .init("assignee_id", .number, column: SQLColumn("assignee_id", table: "conversations"), operators: numbers),
            .init("inbox_id", .number, column: SQLColumn("inbox_id", table: "conversations"), operators: numbers),
            .init("team_id", .number, column: SQLColumn("team_id", table: "conversations"), operators: numbers),
            .init("display_id", .number, column: SQLColumn("display_id", table: "conversations"), operators: ChatwootFilter.equality),
            .init("labels", .labels({ Self.labelled($0) }), column: SQLColumn("id", table: "conversations"), operators: numbers),
            .json("browser_language", in: additional, operators: ChatwootFilter.equality),
            .json("referer", in: additional, operators: ChatwootFilter.text),
            .init("priority", .text(caseInsensitive: false), column: SQLColumn("priority", table: "conversations"), operators: numbers),
            .init("created_at", .date, column: SQLColumn("created_at", table: "conversations"), operators: ChatwootFilter.dates),
            .init("last_activity_at", .date, column: SQLColumn("last_activity_at", table: "conversations"), operators: ChatwootFilter.dates),
        ]
    }

    /// "Has one of these labels" (nil: any label).
    static func labelled(_ labels: [String]?) -> any SQLExpression {
        SQLExists {
            let query = $0.from("conversation_labels")
                .where(SQLColumn("conversation_id", table: "conversation_labels"), .equal, SQLColumn("id", table: "conversations"))
            if let labels { query.where(SQLColumn("label", table: "conversation_labels"), .in, SQLBind.group(labels)) }
            return query
        }
    }

    /// A page (25, newest activity first) of the caller's conversations matching the filter payload, with the four
    /// counts of what matches.
    func filter(
        _ caller: ChatwootCaller, _ conditions: [ChatwootFilterCondition], page: Int
    ) async throws -> (
        counts: ChatwootConversationCounts.Counts, rows: [Row]
    ) {
        let compiler = ChatwootFilter(
            attributes: Self.filterAttributes, custom: [:], customColumn: SQLColumn("custom_attributes", table: "conversations"),
            equality: .anyValue, now: Date(timeIntervalSince1970: Double(self.clock.milliseconds()) / 1000))
        let predicate = try compiler.predicate(conditions)
        let inboxes = try await self.access.inboxIDs(caller)
        let filters = Filters(status: "all")
        return try await self.database.read { tx in
            let base = self.scoped(tx.sql, caller, inboxes, filters).where(predicate)
            let totals = try await base.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "all_count")
                .column(SQLFunction("COUNT", args: SQLColumn("assignee_id")), as: "assigned_count").first(TotalsRow.self)
            var mine = 0
            if let userID = caller.userID {
                let mineQuery = self.scoped(tx.sql, caller, inboxes, filters).where(predicate).where("assignee_id", .equal, userID)
                mine = Int(try await mineQuery.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").first(CountRow.self)?.count ?? 0)
            }
            let all = Int(totals?.allCount ?? 0)
            let assigned = Int(totals?.assignedCount ?? 0)
            let rows = try await self.scoped(tx.sql, caller, inboxes, filters).where(predicate).columns(Self.columns)
                .orderBy("last_activity_at", .descending).orderBy("id", .descending).limit(Self.pageSize)
                .offset((max(page, 1) - 1) * Self.pageSize).all(Row.self)
            return (.init(mineCount: mine, unassignedCount: all - assigned, assignedCount: assigned, allCount: all), rows)
        }
    }
}
