import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Views and their conditions (spec §3.8, §5.10).
struct ViewSQLRepository {
    let sql: any SQLDatabase

    /// The site's views `agent` may see (public ones and its own private ones), in the order they were made.
    func views(site: String, agent: String) async throws -> [ViewRow] {
        try await self.sql.select().column("*").from("conversation_views").where("site_id", .equal, site)
            .where { $0.where("is_private", .equal, false).orWhere("created_by_id", .equal, agent) }
            .orderBy("position").orderBy("id").all(ViewRow.self)
    }

    /// The site's view `id` if `agent` may see it; nil otherwise (another agent's private view included).
    func view(id: String, site: String, agent: String) async throws -> ViewRow? {
        guard
            let row = try await self.sql.select().column("*").from("conversation_views").where("id", .equal, id).where("site_id", .equal, site)
                .first(ViewRow.self), !row.isPrivate || row.createdById == agent
        else { return nil }
        return row
    }

    /// The view's conditions by `orderNum`.
    func conditions(of viewId: String) async throws -> [ViewConditionRow] {
        try await self.sql.select().column("*").from("conversation_view_conditions").where("view_id", .equal, viewId).orderBy("order_num")
            .all(ViewConditionRow.self)
    }

    /// Stores a new view after the site's others.
    func insert(_ view: ViewRow) async throws {
        var view = view
        view.position =
            try await self.sql.select().column(
                SQLFunction("COALESCE", args: SQLFunction("MAX", args: SQLColumn("position")), SQLLiteral.numeric("0")), as: "count"
            )
            .from("conversation_views").where("site_id", .equal, view.siteId).first(CountRow.self)?.count ?? 0
        view.position += 1
        try await self.sql.insert(into: "conversation_views").row(view).run()
    }

    func update(_ view: ViewRow) async throws {
        try await self.sql.update("conversation_views").set(row: view).where("id", .equal, view.id).where("site_id", .equal, view.siteId).run()
    }

    /// Replaces the view's conditions.
    func setConditions(_ conditions: [ViewConditionRow], of viewId: String) async throws {
        try await self.sql.delete(from: "conversation_view_conditions").where("view_id", .equal, viewId).run()
        guard !conditions.isEmpty else { return }
        try await self.sql.insert(into: "conversation_view_conditions").rows(conditions).run()
    }

    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_view_conditions").where("view_id", .equal, id).where("site_id", .equal, site).run()
        try await self.sql.delete(from: "conversation_views").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// How many of the site's conversations in use are unread and satisfy `predicate`; with `mentioning`, only those
    /// with an unread mention of that agent too.
    func unreadCount(site: String, predicate: (any SQLExpression)?, mentioning agent: String? = nil) async throws -> Int {
        if predicate == nil && agent == nil { return try await self.unreadCount(site: site) }
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let select = self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversations")
            .where(column("site_id"), .equal, SQLBind(site)).where(column("is_deleted"), .equal, SQLBind(false))
            .where(column("is_read"), .equal, SQLBind(false))
        if let predicate { select.where(predicate) }
        if let agent {
            let mention = { (name: String) in SQLColumn(name, table: "conversation_mentions") }
            select.where(
                SQLExists {
                    $0.from("conversation_mentions").where(mention("conversation_id"), .equal, column("id"))
                        .where(mention("agent_id"), .equal, SQLBind(agent)).where(mention("is_read"), .equal, SQLBind(false))
                })
        }
        return Int(try await select.first(CountRow.self)?.count ?? 0)
    }

    /// How many of the site's conversations in use are unread, from `conversation_unread_counts` (kept by triggers,
    /// decision 373): one row, where counting read every unread conversation of the site.
    func unreadCount(site: String) async throws -> Int {
        Int(
            try await self.sql.select().column("conversation_count", as: "count").from("conversation_unread_counts")
                .where("site_id", .equal, site).where("is_read", .equal, false).where("is_deleted", .equal, false).first(CountRow.self)?.count ?? 0)
    }
}

extension Tx {
    var views: ViewSQLRepository { ViewSQLRepository(sql: self.sql) }
}

/// A `conversation_views` row; `combination` is the conditions' `when`.
struct ViewRow: Codable, Sendable {
    var id, siteId, name: String
    var isPrivate: Bool
    var createdById, combination: String
    var logicExpression: String?
    var createdTime: Int64
    /// The order views list in.
    var position: Int64 = 0

    var when: AnytimeConditionsWhen { AnytimeConditionsWhen(rawValue: self.combination) ?? .all }

    /// The wire form, with `conditions` when they are given (the list leaves them out, L759).
    func wire(conditions: [ViewConditionRow]?) -> AnytimeView {
        AnytimeView(
            id: self.id, name: self.name, isPrivate: self.isPrivate, createdById: self.createdById,
            conditions: conditions.map { rows in
                AnytimeConditions(
                    when: self.when, logicExpression: self.logicExpression,
                    list: rows.map {
                        AnytimeCondition(
                            id: $0.id, type: .view, fieldId: $0.fieldId, matchType: AnytimeMatchType(rawValue: $0.matchType) ?? .is,
                            value: $0.matchValue, orderNum: $0.orderNum)
                    })
            })
    }
}

/// A `conversation_view_conditions` row.
struct ViewConditionRow: Codable, Sendable {
    var id, siteId, viewId, fieldId, matchType, matchValue: String
    var orderNum: Int

    /// The stored condition as checked; a custom field since deleted has no value.
    func checked(custom: [FieldDefinition]) -> ConversationConditions.Checked {
        ConversationConditions.Checked(
            fieldId: self.fieldId, kind: ConversationConditions.field(self.fieldId, custom: custom)?.kind ?? .gone,
            matchType: AnytimeMatchType(rawValue: self.matchType) ?? .is, value: self.matchValue, orderNum: self.orderNum)
    }
}
