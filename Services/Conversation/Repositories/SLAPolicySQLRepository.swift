import Foundation
import SQLKit
import ServiceKit
import WireModels

/// SLA policies and their conditions (spec §3.12, §5.17, §5.24).
struct SLAPolicySQLRepository {
    let sql: any SQLDatabase

    /// The site's policies by `orderNum`.
    func policies(site: String) async throws -> [SLAPolicyRow] {
        try await self.sql.select().column("*").from("conversation_sla_policies").where("site_id", .equal, site).orderBy("order_num")
            .orderBy("id").all(SLAPolicyRow.self)
    }

    func policy(id: String, site: String) async throws -> SLAPolicyRow? {
        try await self.sql.select().column("*").from("conversation_sla_policies").where("id", .equal, id).where("site_id", .equal, site)
            .first(SLAPolicyRow.self)
    }

    /// The conditions of `policies` by policy, each by `orderNum`.
    func conditions(of policies: [String]) async throws -> [String: [SLAConditionRow]] {
        guard !policies.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_sla_conditions").where("policy_id", .in, policies)
            .orderBy("order_num").all(SLAConditionRow.self)
        return Dictionary(grouping: rows, by: \.policyId)
    }

    /// Stores a new policy last of the site's.
    func insert(_ policy: SLAPolicyRow) async throws {
        var policy = policy
        let last =
            try await self.sql.select()
            .column(SQLFunction("COALESCE", args: SQLFunction("MAX", args: SQLColumn("order_num")), SQLLiteral.numeric("0")), as: "count")
            .from("conversation_sla_policies").where("site_id", .equal, policy.siteId).first(CountRow.self)?.count ?? 0
        policy.orderNum = Int(last) + 1
        try await self.sql.insert(into: "conversation_sla_policies").row(policy).run()
    }

    func update(_ policy: SLAPolicyRow) async throws {
        try await self.sql.update("conversation_sla_policies").set(row: policy).where("id", .equal, policy.id)
            .where("site_id", .equal, policy.siteId).run()
    }

    /// Replaces the policy's conditions.
    func setConditions(_ conditions: [SLAConditionRow], of policyId: String) async throws {
        try await self.sql.delete(from: "conversation_sla_conditions").where("policy_id", .equal, policyId).run()
        guard !conditions.isEmpty else { return }
        try await self.sql.insert(into: "conversation_sla_conditions").rows(conditions).run()
    }

    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_sla_conditions").where("policy_id", .equal, id).where("site_id", .equal, site).run()
        try await self.sql.delete(from: "conversation_sla_policies").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// Numbers the site's policies 1, 2, … in the order given.
    func renumber(_ ids: [String], site: String) async throws {
        for (index, id) in ids.enumerated() {
            try await self.sql.update("conversation_sla_policies").set("order_num", to: index + 1).where("id", .equal, id)
                .where("site_id", .equal, site).run()
        }
    }

    /// Whether the site's conversation `id` satisfies `predicate` (nil: every conversation does).
    func matches(conversation id: Int64, site: String, predicate: (any SQLExpression)?) async throws -> Bool {
        guard let predicate else { return true }
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let count = try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversations")
            .where(column("id"), .equal, SQLBind(id)).where(column("site_id"), .equal, SQLBind(site)).where(predicate).first(CountRow.self)?.count
        return (count ?? 0) > 0
    }

    /// The site's open conversations in use that `policy` governs, by id.
    func conversations(under policy: String, site: String) async throws -> [Int64] {
        try await self.sql.select().column("id").from("conversations").where("site_id", .equal, site).where("sla_policy_id", .equal, policy)
            .where("is_deleted", .equal, false).orderBy("id").all(IDRow.self).map(\.id)
    }
}

extension Tx {
    var slaPolicies: SLAPolicySQLRepository { SLAPolicySQLRepository(sql: self.sql) }
}

/// A `conversation_sla_policies` row; `combination` is the conditions' `when`, targets are hours (0: none).
struct SLAPolicyRow: Codable, Sendable {
    var id, siteId: String
    var isEnabled: Bool
    var firstRespondWithin, nextRespondWithin, resolveRespondWithin: Int
    var isBusinessHours: Bool
    var combination: String
    var logicExpression: String?
    var orderNum: Int
    var createdTime: Int64

    var when: AnytimeConditionsWhen { AnytimeConditionsWhen(rawValue: self.combination) ?? .all }

    func wire(conditions rows: [SLAConditionRow]) -> AnytimeSLAPolicy {
        AnytimeSLAPolicy(
            id: self.id, isEnabled: self.isEnabled, firstRespondWithin: self.firstRespondWithin, nextRespondWithin: self.nextRespondWithin,
            resolveRespondWithin: self.resolveRespondWithin, isBusinessHours: self.isBusinessHours,
            conditions: AnytimeConditions(
                when: self.when, logicExpression: self.logicExpression,
                list: rows.map {
                    AnytimeCondition(
                        id: $0.id, type: .sla, fieldId: $0.fieldId, matchType: AnytimeMatchType(rawValue: $0.matchType) ?? .is, value: $0.matchValue,
                        orderNum: $0.orderNum)
                }),
            orderNum: self.orderNum)
    }
}

/// A `conversation_sla_conditions` row.
struct SLAConditionRow: Codable, Sendable {
    var id, siteId, policyId, fieldId, matchType, matchValue: String
    var orderNum: Int

    /// The stored condition for the engine; `custom` holds the site's fields when it names a custom one.
    func checked(custom: [FieldDefinition]) -> ConversationConditions.Checked {
        ConversationConditions.Checked(
            fieldId: self.fieldId, kind: ConversationConditions.field(self.fieldId, custom: custom)?.kind ?? .gone,
            matchType: AnytimeMatchType(rawValue: self.matchType) ?? .is, value: self.matchValue, orderNum: self.orderNum)
    }
}
