import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Triggers, their conditions and the fields they set (spec §3.11, §5.16, §5.24).
struct TriggerSQLRepository {
    let sql: any SQLDatabase

    /// The site's triggers by `orderNum`; with `event`, only the enabled ones for it.
    func triggers(site: String, enabledFor event: AnytimeTriggerEvent? = nil) async throws -> [TriggerRow] {
        let query = self.sql.select().column("*").from("conversation_triggers").where("site_id", .equal, site)
        if let event { query.where("event", .equal, event.rawValue).where("is_enabled", .equal, true) }
        return try await query.orderBy("order_num").orderBy("id").all(TriggerRow.self)
    }

    func trigger(id: String, site: String) async throws -> TriggerRow? {
        try await self.sql.select().column("*").from("conversation_triggers").where("id", .equal, id).where("site_id", .equal, site)
            .first(TriggerRow.self)
    }

    /// The conditions of `triggers` by trigger, each by `orderNum`.
    func conditions(of triggers: [String]) async throws -> [String: [TriggerConditionRow]] {
        guard !triggers.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_trigger_conditions").where("trigger_id", .in, triggers)
            .orderBy("order_num").all(TriggerConditionRow.self)
        return Dictionary(grouping: rows, by: \.triggerId)
    }

    /// The fields `triggers` set by trigger, each in the order given.
    func updates(of triggers: [String]) async throws -> [String: [TriggerUpdateRow]] {
        guard !triggers.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_trigger_updates").where("trigger_id", .in, triggers)
            .orderBy("position").all(TriggerUpdateRow.self)
        return Dictionary(grouping: rows, by: \.triggerId)
    }

    /// Stores a new trigger last of the site's.
    func insert(_ trigger: TriggerRow) async throws -> TriggerRow {
        var trigger = trigger
        let last =
            try await self.sql.select()
            .column(SQLFunction("COALESCE", args: SQLFunction("MAX", args: SQLColumn("order_num")), SQLLiteral.numeric("0")), as: "count")
            .from("conversation_triggers").where("site_id", .equal, trigger.siteId).first(CountRow.self)?.count ?? 0
        trigger.orderNum = Int(last) + 1
        try await self.sql.insert(into: "conversation_triggers").row(trigger).run()
        return trigger
    }

    func update(_ trigger: TriggerRow) async throws {
        try await self.sql.update("conversation_triggers").set(row: trigger).where("id", .equal, trigger.id)
            .where("site_id", .equal, trigger.siteId).run()
    }

    /// Stores only where the trigger's job points (decision 297): the clock re-arms without the triggers lock, and a
    /// whole-row write would undo a PUT or an enable made meanwhile.
    func armed(_ trigger: TriggerRow) async throws {
        try await self.sql.update("conversation_triggers").set("job_id", to: trigger.jobId).set("job_due", to: trigger.jobDue)
            .where("id", .equal, trigger.id).where("site_id", .equal, trigger.siteId).run()
    }

    /// Replaces the trigger's conditions.
    func setConditions(_ conditions: [TriggerConditionRow], of triggerId: String) async throws {
        try await self.sql.delete(from: "conversation_trigger_conditions").where("trigger_id", .equal, triggerId).run()
        guard !conditions.isEmpty else { return }
        try await self.sql.insert(into: "conversation_trigger_conditions").rows(conditions).run()
    }

    /// Replaces the fields the trigger sets.
    func setUpdates(_ updates: [TriggerUpdateRow], of triggerId: String) async throws {
        try await self.sql.delete(from: "conversation_trigger_updates").where("trigger_id", .equal, triggerId).run()
        guard !updates.isEmpty else { return }
        try await self.sql.insert(into: "conversation_trigger_updates").rows(updates).run()
    }

    func delete(id: String, site: String) async throws {
        for table in ["conversation_trigger_conditions", "conversation_trigger_updates", "conversation_trigger_firings"] {
            try await self.sql.delete(from: table).where("trigger_id", .equal, id).where("site_id", .equal, site).run()
        }
        try await self.sql.delete(from: "conversation_triggers").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// Numbers the site's triggers 1, 2, … in the order given.
    func renumber(_ ids: [String], site: String) async throws {
        for (index, id) in ids.enumerated() {
            try await self.sql.update("conversation_triggers").set("order_num", to: index + 1).where("id", .equal, id)
                .where("site_id", .equal, site).run()
        }
    }

    // MARK: Time-based firings

    /// Records that `trigger` fired for the conversation's status `episode`; false when it already had.
    func recordFiring(trigger: String, conversation: Int64, episode: Int64, site: String, time: Int64) async throws -> Bool {
        let existing =
            try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversation_trigger_firings")
            .where("trigger_id", .equal, trigger).where("conversation_id", .equal, conversation).where("episode", .equal, episode)
            .first(CountRow.self)?.count ?? 0
        guard existing == 0 else { return false }
        try await self.sql.insert(into: "conversation_trigger_firings").row(
            TriggerFiringRow(triggerId: trigger, conversationId: conversation, episode: episode, siteId: site, time: time)
        ).run()
        return true
    }

    /// Up to `limit` of the site's conversations in use that `predicate` matches and `trigger` has not fired for in
    /// their current status episode, by id.
    func unfired(trigger: String, site: String, predicate: (any SQLExpression)?, limit: Int) async throws -> [Int64] {
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let firing = { (name: String) in SQLColumn(name, table: "conversation_trigger_firings") }
        let query = self.sql.select().column(column("id")).from("conversations").where(column("site_id"), .equal, SQLBind(site))
            .where(column("is_deleted"), .equal, SQLBind(false))
            .where(
                SQLNot(
                    SQLExists {
                        $0.from("conversation_trigger_firings").where(firing("trigger_id"), .equal, SQLBind(trigger))
                            .where(firing("conversation_id"), .equal, column("id")).where(
                                firing("episode"), .equal, column("last_status_change_time"))
                    }))
        if let predicate { query.where(predicate) }
        return try await query.orderBy(column("id")).limit(limit).all(IDRow.self).map(\.id)
    }

    /// Forgets a conversation deleted for good: its firings and its emails (one being delivered then finds none).
    func forget(conversation id: Int64, site: String) async throws {
        for table in ["conversation_trigger_firings", "conversation_trigger_emails"] {
            try await self.sql.delete(from: table).where("conversation_id", .equal, id).where("site_id", .equal, site).run()
        }
    }

    /// The earliest start of a status episode of the site's conversations in use after `time`.
    func earliestEpisode(after time: Int64, site: String) async throws -> Int64? {
        try await self.sql.select().column(SQLFunction("MIN", args: SQLColumn("last_status_change_time")), as: "count").from("conversations")
            .where("site_id", .equal, site).where("is_deleted", .equal, false).where("last_status_change_time", .greaterThan, time)
            .first(OptionalCountRow.self)?.count
    }
}

extension Tx {
    var triggers: TriggerSQLRepository { TriggerSQLRepository(sql: self.sql) }
}

/// `NOT (expression)`.
struct SQLNot: SQLExpression {
    let expression: any SQLExpression

    init(_ expression: any SQLExpression) { self.expression = expression }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("NOT (")
        self.expression.serialize(to: &serializer)
        serializer.write(")")
    }
}

/// A `conversation_triggers` row; `combination` is the conditions' `when`; `recipientAgentIds` and `attachments` are JSON.
struct TriggerRow: Codable, Sendable {
    var id, siteId, description: String
    var isEnabled: Bool
    var event, combination: String
    var logicExpression: String?
    var ifSetValue, ifSendEmail, ifSendToContacts, ifSendToAgents: Bool
    var recipientAgentIds, subject, htmlText, plainText, attachments: String
    var ifShowInCorrespondences: Bool
    var orderNum: Int
    var createdTime: Int64
    var jobId, jobDue: Int64?

    var when: AnytimeConditionsWhen { AnytimeConditionsWhen(rawValue: self.combination) ?? .all }
    var eventValue: AnytimeTriggerEvent { AnytimeTriggerEvent(rawValue: self.event) ?? .conversationCreated }
    var agents: [String] { TriggerRow.list(self.recipientAgentIds) }
    var files: [TriggerFile] { (try? JSONDecoder().decode([TriggerFile].self, from: Data(self.attachments.utf8))) ?? [] }

    static func list(_ json: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? [] }
    static func json(_ list: [String]) -> String { String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self) }

    func wire(conditions: [TriggerConditionRow], updates: [TriggerUpdateRow], attachments: [AnytimeAttachment]) -> AnytimeTrigger {
        AnytimeTrigger(
            id: self.id, description: self.description, isEnabled: self.isEnabled, event: self.eventValue,
            conditions: AnytimeConditions(
                when: self.when, logicExpression: self.logicExpression,
                list: conditions.map {
                    AnytimeCondition(
                        id: $0.id, type: .trigger, fieldId: $0.fieldId, matchType: AnytimeMatchType(rawValue: $0.matchType) ?? .is,
                        value: $0.matchValue, orderNum: $0.orderNum)
                }),
            ifSetValue: self.ifSetValue,
            autoUpdate: updates.map { AnytimeAutoUpdate(id: $0.id, triggerId: self.id, fieldId: $0.fieldId, value: $0.value) },
            ifSendEmail: self.ifSendEmail, ifSendToContacts: self.ifSendToContacts, ifSendToAgents: self.ifSendToAgents,
            recipientAgentIds: self.agents, subject: self.subject, htmlText: self.htmlText, plainText: self.plainText, attachments: attachments,
            ifShowInConversationCorrespondences: self.ifShowInCorrespondences, orderNum: self.orderNum)
    }
}

/// An attachment a trigger sends, as it was when the trigger was saved.
struct TriggerFile: Codable, Sendable {
    var id, fileName, url: String
}

/// A `conversation_trigger_conditions` row.
struct TriggerConditionRow: Codable, Sendable {
    var id, siteId, triggerId, fieldId, matchType, matchValue: String
    var orderNum: Int
}

/// A `conversation_trigger_updates` row.
struct TriggerUpdateRow: Codable, Sendable {
    var id, siteId, triggerId, fieldId, value: String
    var position: Int
}

/// A `conversation_trigger_firings` row.
struct TriggerFiringRow: Codable, Sendable {
    var triggerId: String
    var conversationId, episode: Int64
    var siteId: String
    var time: Int64
}
