import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeTrigger: ResponseEncodable {}

/// `/api/v3/anytime/triggers` (seed 000 L963–L1073; spec §3.11, §5.16, §5.24, §6 T1–T7; decisions 272–275): triggers in
/// `orderNum` order, run in that order on the events they name.
struct TriggerController {
    let store: ConversationStore
    let attachments: AttachmentSettings

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Triggers")
        let errors = [400: "Invalid trigger", 404: "Not found"]
        api.get("/triggers", "The site's triggers by orderNum", returns: [AnytimeTrigger].self, errors: errors) { _, context in
            let site = context.site
            return try await self.store.read { tx in try await self.wire(try await tx.triggers.triggers(site: site), tx: tx) }
        }
        api.get("/triggers/{id}", "Get a trigger", returns: AnytimeTrigger.self, errors: errors) { _, context in
            let (site, id) = (context.site, try context.parameters.require("id"))
            return try await self.store.read { tx in try await self.wire([try await Self.trigger(id, site: site, tx: tx)], tx: tx)[0] }
        }
        api.post(
            "/triggers", "Create a trigger (last in order)", body: AnytimeTriggerInput.self, returns: AnytimeTrigger.self, status: .created,
            errors: errors, use: self.create)
        api.put(
            "/triggers/{id}", "Update a trigger (members left out keep their value; lists given replace the stored ones)",
            body: AnytimeTriggerInput.self, returns: AnytimeTrigger.self, errors: errors, use: self.update)
        api.put(
            "/triggers/{id}/sort", "Move a trigger up (runs earlier) or down one place", body: AnytimeSLASortInput.self, returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.sort)
        api.put(
            "/triggers/{id}/enable", "Enable or disable a trigger", body: AnytimeTriggerEnableInput.self, returns: EmptyBody.self, status: .noContent,
            errors: errors, use: self.enable)
        api.delete("/triggers/{id}", "Delete a trigger", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
    }

    static func trigger(_ id: String, site: String, tx: Tx) async throws -> TriggerRow {
        guard id.count <= AnytimeLimits.id, let row = try await tx.triggers.trigger(id: id, site: site) else {
            throw ServiceError.notFound("Trigger")
        }
        return row
    }

    /// The wire form of `rows` with their conditions, fields and attachments (one deleted since is left out).
    func wire(_ rows: [TriggerRow], tx: Tx) async throws -> [AnytimeTrigger] {
        let conditions = try await tx.triggers.conditions(of: rows.map(\.id))
        let updates = try await tx.triggers.updates(of: rows.map(\.id))
        var result: [AnytimeTrigger] = []
        for row in rows {
            var files: [AnytimeAttachment] = []
            for file in row.files {
                if let stored = try await tx.attachments.attachment(id: file.id, site: row.siteId) {
                    files.append(stored.wire(baseURL: self.attachments.publicBaseURL))
                }
            }
            result.append(row.wire(conditions: conditions[row.id] ?? [], updates: updates[row.id] ?? [], attachments: files))
        }
        return result
    }

    /// The site's agent ids from livechat-config when the input names recipients (asked before the transaction, so no
    /// lock waits on another service), else none.
    func agents(for input: AnytimeTriggerInput, site: String) async throws -> @Sendable () async throws -> Set<String> {
        guard input.recipientAgentIds?.isEmpty == false else { return { [] } }
        let known = Set(try await self.store.directory.liveChat.agents(siteId: site).map { String($0.id) })
        return { known }
    }

    /// Writes `definition` onto `row` with its conditions and fields.
    func store(_ definition: TriggerDefinition, on row: inout TriggerRow, tx: Tx) async throws {
        row.description = definition.description
        row.isEnabled = definition.isEnabled
        row.event = definition.event.rawValue
        (row.combination, row.logicExpression) = (definition.conditions.when.rawValue, definition.conditions.logicExpression)
        (row.ifSetValue, row.ifSendEmail) = (definition.ifSetValue, definition.ifSendEmail)
        (row.ifSendToContacts, row.ifSendToAgents) = (definition.ifSendToContacts, definition.ifSendToAgents)
        row.recipientAgentIds = TriggerRow.json(definition.recipientAgentIds)
        (row.subject, row.htmlText, row.plainText) = (definition.subject, definition.htmlText, definition.plainText)
        var files: [TriggerFile] = []
        for id in definition.attachmentIds {
            guard let stored = try await tx.attachments.attachment(id: id, site: row.siteId) else { continue }
            let link = stored.wire(baseURL: self.attachments.publicBaseURL)
            files.append(TriggerFile(id: link.id, fileName: link.fileName, url: link.url))
        }
        row.attachments = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
        row.ifShowInCorrespondences = definition.ifShowInCorrespondences
        let (id, site) = (row.id, row.siteId)
        try await tx.triggers.setConditions(
            definition.conditions.list.map {
                TriggerConditionRow(
                    id: UUID().uuidString.lowercased(), siteId: site, triggerId: id, fieldId: $0.fieldId, matchType: $0.matchType.rawValue,
                    matchValue: $0.value, orderNum: $0.orderNum)
            }, of: id)
        try await tx.triggers.setUpdates(
            definition.updates.enumerated().map {
                TriggerUpdateRow(
                    id: UUID().uuidString.lowercased(), siteId: site, triggerId: id, fieldId: $0.element.fieldId, value: $0.element.value,
                    position: $0.offset)
            }, of: id)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeTriggerInput) async throws -> AnytimeTrigger {
        let (site, now) = (context.site, self.store.now)
        let agents = try await self.agents(for: input, site: site)
        return try await self.store.write(site: site, scope: "triggers") { tx in
            let definition = try await TriggerDefinition.check(input, over: nil, site: site, agents: agents, tx: tx)
            var row = TriggerRow(
                id: UUID().uuidString.lowercased(), siteId: site, description: "", isEnabled: true, event: "", combination: "all",
                logicExpression: nil, ifSetValue: false, ifSendEmail: false, ifSendToContacts: false, ifSendToAgents: false, recipientAgentIds: "[]",
                subject: "", htmlText: "", plainText: "", attachments: "[]", ifShowInCorrespondences: false, orderNum: 0, createdTime: now,
                jobId: nil, jobDue: nil)
            try await self.store(definition, on: &row, tx: tx)
            row = try await tx.triggers.insert(row)
            try await TriggerClock.arm(&row, now: now, tx: tx)
            try await tx.triggers.armed(row)
            return try await self.wire([row], tx: tx)[0]
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeTriggerInput) async throws -> AnytimeTrigger {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        let agents = try await self.agents(for: input, site: site)
        return try await self.store.write(site: site, scope: "triggers") { tx in
            var row = try await Self.trigger(id, site: site, tx: tx)
            let stored = try await self.wire([row], tx: tx)[0]
            let definition = try await TriggerDefinition.check(input, over: stored, site: site, agents: agents, tx: tx)
            try await self.store(definition, on: &row, tx: tx)
            try await TriggerClock.arm(&row, now: now, tx: tx)
            try await tx.triggers.update(row)
            return try await self.wire([row], tx: tx)[0]
        }
    }

    /// Toggles `isEnabled` only (spec §6 T1).
    @Sendable func enable(_ request: Request, context: AuthenticatedContext, input: AnytimeTriggerEnableInput) async throws -> EmptyBody {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        guard let enabled = input.isEnabled else { throw ServiceError.missing("isEnabled") }
        try await self.store.write(site: site, scope: "triggers") { tx in
            var row = try await Self.trigger(id, site: site, tx: tx)
            row.isEnabled = enabled
            try await TriggerClock.arm(&row, now: now, tx: tx)
            try await tx.triggers.update(row)
        }
        return EmptyBody()
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        try await self.store.write(site: site, scope: "triggers") { tx in
            var row = try await Self.trigger(id, site: site, tx: tx)
            row.isEnabled = false
            try await TriggerClock.arm(&row, now: now, tx: tx)
            try await tx.triggers.delete(id: row.id, site: site)
            try await tx.triggers.renumber(try await tx.triggers.triggers(site: site).map(\.id), site: site)
        }
        return EmptyBody()
    }

    /// Swaps the trigger with its neighbour: up runs earlier (spec §6 T7); the first moved up or the last moved down stays.
    @Sendable func sort(_ request: Request, context: AuthenticatedContext, input: AnytimeSLASortInput) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        guard let text = input.type?.trimmingCharacters(in: .whitespaces) else { throw ServiceError.missing("type") }
        guard let up = ["up": true, "down": false][text.lowercased()] else {
            throw ServiceError.invalid("type", "Field 'type' must be up or down, not '\(AnytimeLimits.shortened(text))'.")
        }
        try await self.store.write(site: site, scope: "triggers") { tx in
            let row = try await Self.trigger(id, site: site, tx: tx)
            var ids = try await tx.triggers.triggers(site: site).map(\.id)
            let index = ids.firstIndex(of: row.id)!
            let other = up ? index - 1 : index + 1
            if ids.indices.contains(other) { ids.swapAt(index, other) }
            try await tx.triggers.renumber(ids, site: site)
        }
        return EmptyBody()
    }
}
