import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Automation rules on SQLite or PostgreSQL, one account's at a time, validated as Chatwoot's `AutomationRule` model
/// and `ConditionValidationService`, and audited.
struct AutomationRuleSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// A rule row; conditions and actions are JSON arrays as text.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var name: String
        var description: String?
        var eventName: String
        var conditions: String
        var actions: String
        var active: Bool
        var createdAt: Int64

        var answer: ChatwootAutomationRule {
            ChatwootAutomationRule(
                id: self.id, accountId: self.accountId, name: self.name, description: self.description, eventName: self.eventName,
                conditions: Self.items(self.conditions).map(Self.withoutNulls), actions: Self.items(self.actions),
                createdOn: Int(self.createdAt / 1000),
                active: self.active)
        }

        /// The attributes the audit log records.
        var attributes: [String: JSONValue] {
            [
                "account_id": .number(Double(self.accountId)), "name": .string(self.name),
                "description": self.description.map { .string($0) } ?? .null,
                "event_name": .string(self.eventName), "conditions": .array(Self.items(self.conditions)), "actions": .array(Self.items(self.actions)),
                "active": .bool(self.active),
            ]
        }

        /// A condition without its null members (`"query_operator": null` of the last one): the swagger types them strings.
        static func withoutNulls(_ item: JSONValue) -> JSONValue {
            guard let members = item.object else { return item }
            return .object(members.filter { $0.value != .null })
        }

        static func items(_ text: String) -> [JSONValue] {
            if case .array(let items) = ChatwootRows.json(text) { return items }
            return []
        }
    }

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var name: String?
        var description: String?
        var eventName: String?
        var active: Bool?
        var conditions: [JSONValue]?
        var actions: [JSONValue]?
    }

    static let columns = ["id", "account_id", "name", "description", "event_name", "conditions", "actions", "active", "created_at"]

    /// The account's rules, oldest first (Chatwoot's index is not paged).
    func list(account: Int) async throws -> [ChatwootAutomationRule] {
        try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("automation_rules").where("account_id", .equal, account).orderBy("id").all(Row.self)
        }.map(\.answer)
    }

    func get(_ id: Int, account: Int) async throws -> ChatwootAutomationRule {
        try await self.row(id, account: account).answer
    }

    func create(account: Int, _ changes: Changes, by actor: ChatwootAudit.Actor) async throws -> ChatwootAutomationRule {
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            let rule = Row(
                id: 0, accountId: account, name: changes.name ?? "", description: changes.description, eventName: changes.eventName ?? "",
                conditions: try ChatwootRows.text(.array(changes.conditions ?? [])), actions: try ChatwootRows.text(.array(changes.actions ?? [])),
                active: changes.active ?? true, createdAt: now)
            if changes.conditions == nil { throw ChatwootRows.blank("conditions") }
            if changes.actions == nil { throw ChatwootRows.blank("actions") }
            try await self.validate(rule, tx: tx)
            let inserted = try await tx.sql.insert(into: "automation_rules")
                .columns("account_id", "name", "description", "event_name", "conditions", "actions", "active", "created_at", "updated_at")
                .values(account, rule.name, rule.description, rule.eventName, rule.conditions, rule.actions, rule.active, now, now)
                .returning("id").first(IDRow.self)
            let id = Int(inserted?.id ?? 0)
            try await ChatwootAudit.record(
                .init(
                    account: account, userID: actor.userID, requestID: actor.requestID, remoteAddress: nil, type: "AutomationRule", id: id,
                    action: .create, changes: rule.attributes), tx: tx, at: now)
            return id
        }
        return try await self.get(id, account: account)
    }

    func update(_ id: Int, account: Int, _ changes: Changes, by actor: ChatwootAudit.Actor) async throws -> ChatwootAutomationRule {
        let current = try await self.row(id, account: account)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            var rule = current
            if let name = changes.name { rule.name = name }
            if let description = changes.description { rule.description = description }
            if let event = changes.eventName { rule.eventName = event }
            if let active = changes.active { rule.active = active }
            if let conditions = changes.conditions { rule.conditions = try ChatwootRows.text(.array(conditions)) }
            if let actions = changes.actions { rule.actions = try ChatwootRows.text(.array(actions)) }
            try await self.validate(rule, tx: tx)
            try await tx.sql.update("automation_rules").set("name", to: rule.name).set("description", to: rule.description)
                .set("event_name", to: rule.eventName).set("active", to: rule.active).set("conditions", to: rule.conditions)
                .set("actions", to: rule.actions).set("updated_at", to: now).where("id", .equal, id).where("account_id", .equal, account).run()
            let changed = ChatwootAudit.changes(from: current.attributes, to: rule.attributes)
            if !changed.isEmpty {
                try await ChatwootAudit.record(
                    .init(
                        account: account, userID: actor.userID, requestID: actor.requestID, remoteAddress: nil, type: "AutomationRule", id: id,
                        action: .update, changes: changed), tx: tx, at: now)
            }
        }
        return try await self.get(id, account: account)
    }

    func delete(_ id: Int, account: Int, by actor: ChatwootAudit.Actor) async throws {
        let current = try await self.row(id, account: account)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "automation_rules").where("id", .equal, id).where("account_id", .equal, account).run()
            try await ChatwootAudit.record(
                .init(
                    account: account, userID: actor.userID, requestID: actor.requestID, remoteAddress: nil, type: "AutomationRule", id: id,
                    action: .destroy, changes: current.attributes), tx: tx, at: now)
        }
    }

    /// A rule of the account; another account's is a 404.
    func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("automation_rules").where("id", .equal, id).where("account_id", .equal, account)
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    // MARK: Validation

    /// Chatwoot's model validations (supported condition keys and actions, query operators) and its
    /// `ConditionValidationService` (each condition's operator and values), with their messages.
    func validate(_ rule: Row, tx: Tx) async throws {
        if rule.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ChatwootRows.blank("name") }
        if rule.eventName.isEmpty { throw ChatwootRows.blank("event_name") }
        guard ChatwootAutomation.events.contains(rule.eventName) else {
            throw ServiceError(.unprocessableContent, message: "Event name is not included in the list", field: "event_name")
        }
        let conditions = try Self.conditions(Row.items(rule.conditions))
        let custom = try await ChatwootAutomation.customAttributes(tx.sql, account: rule.accountId)
        let unsupported = conditions.map(\.attributeKey).filter { !ChatwootAutomation.conditionKeys.contains($0) && custom[$0] == nil }
        if !unsupported.isEmpty { throw Self.invalid("Automation conditions \(unsupported.joined(separator: ",")) not supported.") }
        if conditions.filter({ $0.queryOperator == nil }).count > 1 { throw Self.invalid("Automation conditions should have query operator.") }
        for condition in conditions {
            if let op = condition.queryOperator, !op.isEmpty, !["AND", "OR"].contains(op.uppercased()) {
                throw Self.invalid(#"Query operator must be either "AND" or "OR""#)
            }
        }
        let names = try Row.items(rule.actions).map { item -> String in
            guard case .string(let name)? = item.object?["action_name"] else {
                throw ServiceError(.unprocessableContent, message: "Automation actions need an action_name", field: "actions")
            }
            return name
        }
        let unknown = names.filter { !ChatwootAutomation.actionNames.contains($0) }
        if !unknown.isEmpty { throw Self.invalid("Automation actions \(unknown.joined(separator: ",")) not supported.") }
        // Every condition must compile as the engine will run it.
        _ = try ChatwootAutomation.filter(custom: custom, now: Date()).predicate(conditions.filter { $0.filterOperator != "attribute_changed" })
    }

    /// The conditions as filter conditions; anything else is a 422 naming `conditions`.
    static func conditions(_ items: [JSONValue]) throws -> [ChatwootFilterCondition] {
        try items.map { item in
            guard item.object != nil, let condition = try? item.decode(as: ChatwootFilterCondition.self) else {
                throw ServiceError(
                    .unprocessableContent, message: "Automation conditions need an attribute_key and a filter_operator", field: "conditions")
            }
            return condition
        }
    }

    /// Chatwoot's model error, `{"error": ...}`.
    static func invalid(_ message: String) -> ServiceError {
        ServiceError(.unprocessableContent, message: message)
    }
}
