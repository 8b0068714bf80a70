import Conditions
import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Runs triggers (spec §5.16, §6 T3–T6; decisions 275–277). When an event happens on a conversation in use, the site's
/// enabled triggers for it run in `orderNum` order; each whose conditions the conversation meets now (the conditions
/// engine's SQL predicate, as SLA policies match) sets its fields (checked like a PUT), queues its email, shows it in
/// the conversation when asked, and logs "Trigger '<description>' fired". What triggers change raises no event: no
/// cascading, each trigger at most once an event.
enum TriggerEngine {
    // MARK: Events

    /// A status or assignment change (PUT, batch PUT, a trigger's own change): a new status episode starts the
    /// time-based triggers' clock; events are raised unless a trigger made the change.
    static func changed(_ row: inout ConversationRow, from before: ConversationRow, raisesEvents: Bool, now: Int64, tx: Tx) async throws {
        let statusChanged = before.status != row.status
        if statusChanged { try await TriggerClock.episodeStarted(row, now: now, tx: tx) }
        guard raisesEvents else { return }
        if before.assignedAgentId != row.assignedAgentId || before.assignedDepartmentId != row.assignedDepartmentId {
            try await Self.fire(.conversationAssigneeChanged, on: &row, now: now, tx: tx)
        }
        if statusChanged { try await Self.fire(.conversationStatusChanged, on: &row, now: now, tx: tx) }
    }

    /// A message on the conversation: the contact's raises `conversationReplyReceived` (and a status change when it
    /// reopened the conversation), an agent's reply `agentReplied`. `statusBefore` is the status before the message; `row`
    /// is as the message left it (reopened or not), before any trigger ran: what the reply triggers set raises nothing.
    static func message(_ row: inout ConversationRow, fromContact: Bool, agentReply: Bool, statusBefore: String, now: Int64, tx: Tx) async throws {
        let reopened = statusBefore != row.status
        if fromContact { try await Self.fire(.conversationReplyReceived, on: &row, now: now, tx: tx) }
        if agentReply { try await Self.fire(.agentReplied, on: &row, now: now, tx: tx) }
        if reopened {
            try await TriggerClock.episodeStarted(row, now: now, tx: tx)
            try await Self.fire(.conversationStatusChanged, on: &row, now: now, tx: tx)
        }
    }

    /// A status changed by a path that does not go through ``ConversationChanges`` (the portal's close and reopen).
    static func statusChanged(_ row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        try await TriggerClock.episodeStarted(row, now: now, tx: tx)
        try await Self.fire(.conversationStatusChanged, on: &row, now: now, tx: tx)
    }

    /// Step 6 of ``NewConversationPipeline``: `conversationCreated` triggers, before the SLA step (which matches what
    /// they set), and the first status episode.
    static func created(_ row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        try await Self.fire(.conversationCreated, on: &row, now: now, creating: true, tx: tx)
        try await TriggerClock.episodeStarted(row, now: now, tx: tx)
    }

    /// Runs the site's enabled triggers for `event` on `row`, which is stored as each leaves it. `creating`: the
    /// conversation is in the new-conversation pipeline, whose SLA step comes after.
    static func fire(_ event: AnytimeTriggerEvent, on row: inout ConversationRow, now: Int64, creating: Bool = false, tx: Tx) async throws {
        guard !row.isDeleted else { return }
        let triggers = try await tx.triggers.triggers(site: row.siteId, enabledFor: event)
        guard !triggers.isEmpty else { return }
        let set = try await TriggerSet(triggers, site: row.siteId, tx: tx)
        for trigger in triggers {
            try await tx.conversations.update(row)
            guard try await set.matches(trigger, conversation: row, now: now, tx: tx) else { continue }
            try await Self.run(trigger, updates: set.updates[trigger.id] ?? [], on: &row, now: now, creating: creating, tx: tx)
        }
        try await tx.conversations.update(row)
    }

    // MARK: Actions

    /// The trigger's actions on `row`, which the caller stores.
    static func run(
        _ trigger: TriggerRow, updates: [TriggerUpdateRow], on row: inout ConversationRow, now: Int64, creating: Bool, tx: Tx
    )
        async throws
    {
        let (id, site) = (row.id, row.siteId)
        let name = "Trigger '\(trigger.description)'"
        if trigger.ifSetValue, !updates.isEmpty {
            do {
                try await Self.set(updates, on: &row, name: name, now: now, creating: creating, tx: tx)
            } catch let error as ServiceError where error.status == .badRequest {
                // A field changed since the trigger was saved (deleted, or its options): the rest of the trigger still runs.
                try await tx.conversations.log(
                    "trigger", "\(name) could not set its fields: \(error.message)", conversation: id, site: site, time: now)
            }
        }
        if trigger.ifSendEmail, let contactEmail = try await TriggerMail.enqueue(trigger, conversation: row, now: now, tx: tx),
            trigger.ifShowInCorrespondences
        {
            try await Self.correspondence(trigger, email: contactEmail, on: &row, now: now, tx: tx)
        }
        try await tx.conversations.log("trigger", "\(name) fired", conversation: id, site: site, time: now)
    }

    /// Sets the trigger's fields: system ones as one PUT would (its event logs, SLA re-match unless the pipeline's SLA step
    /// follows; no events), custom ones as their type takes them.
    static func set(_ updates: [TriggerUpdateRow], on row: inout ConversationRow, name: String, now: Int64, creating: Bool, tx: Tx) async throws {
        var change = AnytimeConversationUpdate()
        var custom: [AnytimeCustomFieldValueInput] = []
        for update in updates {
            let value = update.value.trimmingCharacters(in: .whitespaces)
            switch update.fieldId {
            case "status":
                guard let status = AnytimeStatus.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else { continue }
                change.status = status
            case "priority": change.priority = AnytimePriority(rawValue: value.lowercased())
            case "assignedAgentId": change.assignedAgentId = value
            case "assignedDepartmentId": change.assignedDepartmentId = value
            case "subject": change.subject = update.value
            case "tagIds": change.tagIds = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default: custom.append(AnytimeCustomFieldValueInput(id: update.fieldId, value: update.value))
            }
        }
        let changes = try ConversationChanges(change)
        if !custom.isEmpty, try await CustomFieldValues.apply(custom, conversation: row.id, site: row.siteId, creating: false, tx: tx) {
            row.lastActivityTime = now
            try await tx.conversations.log("customFields", "Custom fields changed by \(name).", conversation: row.id, site: row.siteId, time: now)
        }
        try await changes.apply(to: &row, agent: "", now: now, raisesEvents: false, matchesSLA: !creating, tx: tx)
    }

    /// The contact's email as a message of the conversation (spec §5.16 (c); decision 299): sent by the system, not an
    /// agent reply; its id is the email's, its send status `sending` until delivery records the outcome.
    static func correspondence(_ trigger: TriggerRow, email: String, on row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        var contents: [AnytimeContent] = []
        if !trigger.htmlText.isEmpty {
            contents.append(AnytimeContent(id: UUID().uuidString.lowercased(), type: .htmlText, htmlText: trigger.htmlText))
        }
        if !trigger.plainText.isEmpty { contents.append(AnytimeContent(id: UUID().uuidString.lowercased(), type: .text, text: trigger.plainText)) }
        for file in trigger.files {
            contents.append(AnytimeContent(id: UUID().uuidString.lowercased(), type: .file, name: file.fileName, url: file.url))
        }
        let message = AnytimeMessage(
            id: email, conversationId: Int(row.id), channelId: row.channelId, type: .message, directType: .send,
            channelAccountId: nil, contactIdentityId: nil, originalMessageId: nil, originalMessageUrl: nil, parentId: nil, subject: trigger.subject,
            cc: nil, contents: contents, mentionedAgentIds: [], isRead: true, sendStatus: .sending, senderId: nil, senderType: .system,
            time: AnytimeTime.format(now))
        try await tx.conversations.insert(message, site: row.siteId)
        row.lastActivityTime = now
    }
}

/// The conditions and fields of a set of triggers, read once, and their predicates.
struct TriggerSet: Sendable {
    let conditions: [String: [TriggerConditionRow]]
    let updates: [String: [TriggerUpdateRow]]
    let custom: [FieldDefinition]

    init(_ triggers: [TriggerRow], site: String, tx: Tx) async throws {
        self.conditions = try await tx.triggers.conditions(of: triggers.map(\.id))
        self.updates = try await tx.triggers.updates(of: triggers.map(\.id))
        let fieldIds = self.conditions.values.flatMap { $0.map(\.fieldId) }.filter { !TriggerDefinition.isDuration($0) }
        self.custom = ConversationConditions.needsCustomFields(fieldIds) ? try await FieldCatalog.all(site: site, tx: tx) : []
    }

    /// The trigger's conditions at `now`: `statusDurationHours isMoreThan N` is the status having changed before now − N
    /// hours (`isLessThan`: after), that instant in milliseconds (an ISO 8601 string would lose one to rounding).
    func checked(_ trigger: TriggerRow, now: Int64) -> [ConversationConditions.Checked] {
        (self.conditions[trigger.id] ?? []).map { row in
            let matchType = AnytimeMatchType(rawValue: row.matchType) ?? .is
            if TriggerDefinition.isDuration(row.fieldId) {
                let since = now - Int64(((Double(row.matchValue) ?? 0) * 3_600_000).rounded())
                return ConversationConditions.Checked(
                    fieldId: row.fieldId, kind: .time(column: "last_status_change_time"), matchType: matchType == .isLessThan ? .after : .before,
                    value: String(since), orderNum: row.orderNum)
            }
            return ConversationConditions.Checked(
                fieldId: row.fieldId, kind: ConversationConditions.field(row.fieldId, custom: self.custom)?.kind ?? .gone, matchType: matchType,
                value: row.matchValue, orderNum: row.orderNum)
        }
    }

    /// The SQL predicate of the trigger's conditions at `now`; nil when it has none.
    func predicate(_ trigger: TriggerRow, now: Int64) throws -> (any SQLExpression)? {
        let checked = self.checked(trigger, now: now)
        let combination = try ConversationConditions.combination(
            trigger.when, expression: trigger.logicExpression, conditions: checked, member: "conditions.logicExpression")
        return try ConversationConditions.predicate(checked, combination: combination)
    }

    /// Whether the stored conversation meets the trigger's conditions now.
    func matches(_ trigger: TriggerRow, conversation row: ConversationRow, now: Int64, tx: Tx) async throws -> Bool {
        try await tx.slaPolicies.matches(conversation: row.id, site: row.siteId, predicate: try self.predicate(trigger, now: now))
    }
}
