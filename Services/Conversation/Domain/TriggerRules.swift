import Foundation
import ServiceKit
import WireModels

/// A trigger's definition checked whole (spec §5.16, §6 T1–T5; decisions 272–274): the stored trigger with a client's
/// changes laid over it, so a create and an update pass the same rules and a 400 names the member that breaks one.
struct TriggerDefinition: Sendable {
    static let descriptionLimit = 1000
    static let maxUpdates = 50
    static let maxRecipients = 50
    /// The shortest `statusDurationHours` (decision 296).
    static let minHours = 1.0
    /// A year: longer durations are not a status episode worth a trigger.
    static let maxHours = 8760.0
    /// The pseudo-field of `conversationStatusLastForCertainTime` (spec §6 T3): how long the status has lasted, in hours.
    static let durationField = "statusDurationHours"

    var description: String
    var isEnabled: Bool
    var event: AnytimeTriggerEvent
    var conditions: ViewDefinition.ConditionList
    var ifSetValue: Bool
    var updates: [TriggerUpdate]
    var ifSendEmail, ifSendToContacts, ifSendToAgents: Bool
    var recipientAgentIds: [String]
    var subject, htmlText, plainText: String
    var attachmentIds: [String]
    var ifShowInCorrespondences: Bool

    /// One field a trigger sets, checked like a PUT of the conversation would check it.
    struct TriggerUpdate: Sendable {
        var fieldId: String
        var value: String
        /// A system field's change, or nil for a custom field.
        var change: AnytimeConversationUpdate?
    }

    /// The input's event (any case, the seed's leading space trimmed).
    static func event(_ text: String?) throws -> AnytimeTriggerEvent? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let event = AnytimeTriggerEvent.allCases.first(where: { $0.rawValue.lowercased() == trimmed.lowercased() }) else {
            throw ServiceError.invalid(
                "event",
                "Field 'event' must be one of \(AnytimeTriggerEvent.allCases.map(\.rawValue).joined(separator: ", ")), not '\(AnytimeLimits.shortened(trimmed))'."
            )
        }
        return event
    }

    /// Checks `input` laid over `stored` (nil: a new trigger) for the site; `agents` answers the site's agent ids when a
    /// recipient must be checked (livechat-config is asked only then).
    static func check(
        _ input: AnytimeTriggerInput, over stored: AnytimeTrigger?, site: String, agents: @Sendable () async throws -> Set<String>, tx: Tx
    ) async throws -> TriggerDefinition {
        let description = (input.description ?? stored?.description)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !description.isEmpty else { throw ServiceError.missing("description") }
        guard let event = try Self.event(input.event) ?? stored?.event else { throw ServiceError.missing("event") }
        let conditionsInput =
            input.conditions ?? stored.map { trigger in
                AnytimeConditionsInput(
                    when: trigger.conditions.when, logicExpression: trigger.conditions.logicExpression,
                    list: trigger.conditions.list.map {
                        AnytimeConditionInput(fieldId: $0.fieldId, matchType: $0.matchType, value: $0.value, orderNum: $0.orderNum)
                    })
            } ?? AnytimeConditionsInput(list: [])
        let updatesInput =
            input.autoUpdate ?? stored?.autoUpdate.map { AnytimeAutoUpdateInput(fieldId: $0.fieldId, value: $0.value) } ?? []
        let needsFields =
            ConversationConditions.needsCustomFields((conditionsInput.list ?? []).compactMap(\.fieldId).filter { !Self.isDuration($0) })
            || !updatesInput.isEmpty
        let fields = needsFields ? try await FieldCatalog.all(site: site, tx: tx) : []
        var definition = TriggerDefinition(
            description: try AnytimeLimits.bounded(description, "description", limit: Self.descriptionLimit),
            isEnabled: input.isEnabled ?? stored?.isEnabled ?? true, event: event,
            conditions: try Self.conditions(conditionsInput, event: event, custom: fields),
            ifSetValue: input.ifSetValue ?? stored?.ifSetValue ?? false,
            updates: try Self.updates(updatesInput, custom: fields), ifSendEmail: input.ifSendEmail ?? stored?.ifSendEmail ?? false,
            ifSendToContacts: input.ifSendToContacts ?? stored?.ifSendToContacts ?? false,
            ifSendToAgents: input.ifSendToAgents ?? stored?.ifSendToAgents ?? false, recipientAgentIds: [],
            subject: try AnytimeLimits.bounded(input.subject ?? stored?.subject ?? "", "subject", limit: AnytimeLimits.subject),
            htmlText: try AnytimeLimits.bounded(input.htmlText ?? stored?.htmlText ?? "", "htmlText", limit: AnytimeLimits.text),
            plainText: try AnytimeLimits.bounded(input.plainText ?? stored?.plainText ?? "", "plainText", limit: AnytimeLimits.text),
            attachmentIds: [],
            ifShowInCorrespondences: input.ifShowInConversationCorrespondences ?? stored?.ifShowInConversationCorrespondences ?? false)
        if definition.ifSetValue, definition.updates.isEmpty { throw ServiceError.missing("autoUpdate") }
        if definition.ifSendEmail {
            guard !definition.subject.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("subject") }
            guard !definition.htmlText.isEmpty || !definition.plainText.isEmpty else { throw ServiceError.missing("plainText") }
        }
        // Recipients: each an agent of the site.
        let recipients = input.recipientAgentIds ?? stored?.recipientAgentIds ?? []
        guard recipients.count <= Self.maxRecipients else {
            throw ServiceError.invalid("recipientAgentIds", "Field 'recipientAgentIds' may hold at most \(Self.maxRecipients) ids.")
        }
        for (index, text) in recipients.enumerated() {
            guard let id = try AnytimeLimits.id(text, "recipientAgentIds[\(index)]") else {
                throw ServiceError.invalid("recipientAgentIds[\(index)]", "Field 'recipientAgentIds[\(index)]' cannot be empty.")
            }
            if !definition.recipientAgentIds.contains(id) { definition.recipientAgentIds.append(id) }
        }
        if input.recipientAgentIds != nil, !definition.recipientAgentIds.isEmpty {
            let known = try await agents()
            if let index = definition.recipientAgentIds.firstIndex(where: { !known.contains($0) }) {
                throw ServiceError.invalid(
                    "recipientAgentIds[\(index)]",
                    "Field 'recipientAgentIds[\(index)]' names no agent of this site: '\(AnytimeLimits.shortened(definition.recipientAgentIds[index]))'."
                )
            }
        }
        if definition.ifSendEmail, definition.ifSendToAgents, definition.recipientAgentIds.isEmpty { throw ServiceError.missing("recipientAgentIds") }
        // Attachments: uploaded files of the site, available now.
        let references = input.attachments.map { $0.map(\.id) } ?? stored?.attachments.map(\.id) ?? []
        guard references.count <= AnytimeLimits.contents else {
            throw ServiceError.invalid("attachments", "Field 'attachments' may hold at most \(AnytimeLimits.contents) attachments.")
        }
        let ids = try references.enumerated().map { index, text in
            guard let text, let id = UUID(uuidString: text) else {
                throw ServiceError.invalid("attachments[\(index)].id", "Field 'attachments[\(index)].id' must be an attachment's GUID.")
            }
            return id.uuidString.lowercased()
        }
        if input.attachments != nil {
            let available = try await tx.attachments.available(ids: ids, site: site)
            if let index = ids.firstIndex(where: { available[$0] == nil }) {
                throw ServiceError.invalid("attachments[\(index)].id", "Field 'attachments[\(index)].id' names no available attachment.")
            }
        }
        for id in ids where !definition.attachmentIds.contains(id) { definition.attachmentIds.append(id) }
        return definition
    }

    static func isDuration(_ fieldId: String) -> Bool { fieldId.trimmingCharacters(in: .whitespaces).lowercased() == Self.durationField.lowercased() }

    /// The conditions, checked as views check them, plus `statusDurationHours` (`isMoreThan`/`isLessThan` a number of
    /// hours), which `conversationStatusLastForCertainTime` needs (an `isMoreThan` one) and no other event takes.
    static func conditions(
        _ input: AnytimeConditionsInput, event: AnytimeTriggerEvent, custom: [FieldDefinition]
    ) throws
        -> ViewDefinition.ConditionList
    {
        let list = input.list ?? []
        var others = input
        others.list = list.map { condition in
            // Checked below; a system field stands in so the view rules check the rest (orderNum, matchType given).
            Self.isDuration(condition.fieldId ?? "")
                ? AnytimeConditionInput(fieldId: "subject", matchType: .contains, value: "", orderNum: condition.orderNum) : condition
        }
        var checked = try ViewDefinition.conditions(others, custom: custom)
        var hasThreshold = false
        for (index, condition) in list.enumerated() where Self.isDuration(condition.fieldId ?? "") {
            let member = "conditions.list[\(index)]"
            guard event == .conversationStatusLastForCertainTime else {
                throw ServiceError.invalid(
                    "\(member).fieldId",
                    "Field '\(member).fieldId' (\(Self.durationField)) is for conversationStatusLastForCertainTime triggers only.")
            }
            guard let matchType = condition.matchType else { throw ServiceError.missing("\(member).matchType") }
            guard matchType == .isMoreThan || matchType == .isLessThan else {
                throw ServiceError.invalid(
                    "\(member).matchType", "Field '\(member).matchType' must be isMoreThan or isLessThan for \(Self.durationField).")
            }
            let text = (condition.value ?? "").trimmingCharacters(in: .whitespaces)
            // At least an hour (decision 296): shorter, two triggers flipping the status back and forth fire every sweep.
            guard let hours = Double(text), hours.isFinite, (Self.minHours...Self.maxHours).contains(hours) else {
                throw ServiceError.invalid(
                    "\(member).value", "Field '\(member).value' must be a number of hours from \(Int(Self.minHours)) to \(Int(Self.maxHours)).")
            }
            if matchType == .isMoreThan { hasThreshold = true }
            let orderNum = condition.orderNum ?? index + 1
            guard let position = checked.list.firstIndex(where: { $0.orderNum == orderNum }) else { continue }
            checked.list[position] = ConversationConditions.Checked(
                fieldId: Self.durationField, kind: .time(column: "last_status_change_time"), matchType: matchType, value: text, orderNum: orderNum)
        }
        if event == .conversationStatusLastForCertainTime, !hasThreshold {
            throw ServiceError.invalid(
                "conditions.list",
                "Field 'conditions.list' of a conversationStatusLastForCertainTime trigger needs '\(Self.durationField) isMoreThan <hours>'.")
        }
        return checked
    }

    /// Settable system fields by lowercased id.
    static let settable = ["status", "priority", "assignedagentid", "assigneddepartmentid", "subject", "tagids"]

    /// Each field to set: a settable system field with a value a PUT would take, or a custom field with a value its
    /// type takes (spec §5.16 (a)).
    static func updates(_ inputs: [AnytimeAutoUpdateInput], custom fields: [FieldDefinition]) throws -> [TriggerUpdate] {
        guard inputs.count <= Self.maxUpdates else {
            throw ServiceError.invalid("autoUpdate", "Field 'autoUpdate' may hold at most \(Self.maxUpdates) fields.")
        }
        var updates: [TriggerUpdate] = []
        for (index, input) in inputs.enumerated() {
            let member = "autoUpdate[\(index)]"
            guard let fieldText = input.fieldId?.trimmingCharacters(in: .whitespaces), !fieldText.isEmpty else {
                throw ServiceError.missing("\(member).fieldId")
            }
            let value = try AnytimeLimits.bounded(input.value ?? "", "\(member).value", limit: AnytimeLimits.text)
            let valueMember = "\(member).value"
            if let system = ConversationConditions.fields[fieldText.lowercased()], Self.settable.contains(fieldText.lowercased()) {
                let id = system.id
                guard !updates.contains(where: { $0.fieldId == id }) else {
                    throw ServiceError.invalid("\(member).fieldId", "Field '\(member).fieldId' repeats the field '\(id)'.")
                }
                var change = AnytimeConversationUpdate()
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                switch id {
                case "status":
                    guard let status = AnytimeStatus.allCases.first(where: { $0.rawValue.lowercased() == trimmed.lowercased() }) else {
                        throw ServiceError.invalid(
                            valueMember,
                            "Field '\(valueMember)' must be one of \(AnytimeStatus.allCases.map(\.rawValue).joined(separator: ", ")) for status.")
                    }
                    change.status = status
                case "priority":
                    guard let priority = AnytimePriority.allCases.first(where: { $0.rawValue == trimmed.lowercased() }) else {
                        throw ServiceError.invalid(valueMember, "Field '\(valueMember)' must be urgent, high, normal or low for priority.")
                    }
                    change.priority = priority
                case "assignedAgentId": change.assignedAgentId = trimmed
                case "assignedDepartmentId": change.assignedDepartmentId = trimmed
                case "subject": change.subject = value
                default: change.tagIds = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
                do {
                    _ = try ConversationChanges(change)
                } catch let error as ServiceError {
                    throw ServiceError.invalid(valueMember, "Field '\(valueMember)' is not a value of \(id): \(error.message)")
                }
                updates.append(TriggerUpdate(fieldId: id, value: value, change: change))
            } else if let field = fields.first(where: {
                !$0.row.isSystemField && ($0.row.id == fieldText || $0.row.name.lowercased() == fieldText.lowercased())
            }) {
                guard !updates.contains(where: { $0.fieldId == field.row.id }) else {
                    throw ServiceError.invalid("\(member).fieldId", "Field '\(member).fieldId' repeats the field '\(field.row.id)'.")
                }
                let stored = try FieldValues.stored(value, for: field, member: valueMember)
                if stored == nil, field.row.isRequired {
                    throw ServiceError.invalid(valueMember, "Field '\(valueMember)' is required: '\(field.row.name)' cannot be empty.")
                }
                updates.append(TriggerUpdate(fieldId: field.row.id, value: value, change: nil))
            } else {
                throw ServiceError.invalid(
                    "\(member).fieldId",
                    "Field '\(member).fieldId' names no field a trigger can set: '\(AnytimeLimits.shortened(fieldText))' (system fields: status, priority, assignedAgentId, assignedDepartmentId, subject, tagIds; or a custom field)."
                )
            }
        }
        return updates
    }
}
