import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeSLAPolicy: ResponseEncodable {}

/// `/api/v3/anytime/SLAPolicies` (seed 000 L1075–L1142; spec §3.12, §5.17, §5.24, §6 S1–S5; decisions 255–257):
/// policies in `orderNum` order, the first enabled one whose conditions match a conversation sets its targets.
struct SLAPolicyController {
    let store: ConversationStore

    /// A year: longer targets are not a service level.
    static let maxHours = 8760

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("SLA policies")
        let errors = [400: "Invalid SLA policy", 404: "Not found"]
        api.get("/SLAPolicies", "The site's SLA policies by orderNum", returns: [AnytimeSLAPolicy].self, errors: errors) { _, context in
            let site = context.site
            return try await self.store.read { tx in
                let rows = try await tx.slaPolicies.policies(site: site)
                let conditions = try await tx.slaPolicies.conditions(of: rows.map(\.id))
                return rows.map { $0.wire(conditions: conditions[$0.id] ?? []) }
            }
        }
        api.get("/SLAPolicies/{id}", "Get an SLA policy", returns: AnytimeSLAPolicy.self, errors: errors) { _, context in
            let (site, id) = (context.site, try context.parameters.require("id"))
            return try await self.store.read { tx in
                let row = try await Self.policy(id, site: site, tx: tx)
                return row.wire(conditions: try await tx.slaPolicies.conditions(of: [row.id])[row.id] ?? [])
            }
        }
        api.post(
            "/SLAPolicies", "Create an SLA policy (last in order)", body: AnytimeSLAPolicyInput.self, returns: AnytimeSLAPolicy.self,
            status: .created, errors: errors, use: self.create)
        api.put(
            "/SLAPolicies/{id}", "Update an SLA policy (members left out keep their value; conditions given replace the stored ones)",
            body: AnytimeSLAPolicyInput.self, returns: AnytimeSLAPolicy.self, errors: errors, use: self.update)
        api.delete(
            "/SLAPolicies/{id}", "Delete an SLA policy; the conversations it governed are matched again", returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.delete)
        api.put(
            "/SLAPolicies/{id}/sort", "Move an SLA policy up or down one place", body: AnytimeSLASortInput.self, returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.sort)
    }

    static func policy(_ id: String, site: String, tx: Tx) async throws -> SLAPolicyRow {
        guard id.count <= AnytimeLimits.id, let row = try await tx.slaPolicies.policy(id: id, site: site) else {
            throw ServiceError.notFound("SLA policy")
        }
        return row
    }

    /// A target in hours: 0 to a year; null or absent is 0, no target (spec §6 S5).
    static func hours(_ value: Int?, _ member: String) throws -> Int? {
        guard let value else { return nil }
        guard (0...Self.maxHours).contains(value) else {
            throw ServiceError.invalid(member, "Field '\(member)' must be a number of hours from 0 to \(Self.maxHours).")
        }
        return value
    }

    /// `isBusinessHours`, or `businessHours` as `businessHours`, `calenderHours` or `calendarHours` (spec §6 S2).
    static func businessHours(_ input: AnytimeSLAPolicyInput) throws -> Bool? {
        guard let text = input.businessHours?.trimmingCharacters(in: .whitespaces) else { return input.isBusinessHours }
        let value: Bool
        switch text.lowercased() {
        case "businesshours": value = true
        case "calenderhours", "calendarhours": value = false
        default:
            throw ServiceError.invalid(
                "businessHours", "Field 'businessHours' must be businessHours or calenderHours, not '\(AnytimeLimits.shortened(text))'.")
        }
        if let given = input.isBusinessHours, given != value {
            throw ServiceError.invalid("businessHours", "Field 'businessHours' disagrees with 'isBusinessHours'.")
        }
        return value
    }

    /// The input's conditions checked by the conversation conditions' rules (custom fields among them).
    static func conditions(_ input: AnytimeSLAPolicyInput, site: String, tx: Tx) async throws -> ViewDefinition.ConditionList? {
        guard let given = input.conditions else { return nil }
        let custom =
            ConversationConditions.needsCustomFields((given.list ?? []).compactMap(\.fieldId)) ? try await FieldCatalog.all(site: site, tx: tx) : []
        return try ViewDefinition.conditions(given, custom: custom)
    }

    static func rows(_ conditions: [ConversationConditions.Checked], policy: SLAPolicyRow) -> [SLAConditionRow] {
        conditions.map {
            SLAConditionRow(
                id: UUID().uuidString.lowercased(), siteId: policy.siteId, policyId: policy.id, fieldId: $0.fieldId, matchType: $0.matchType.rawValue,
                matchValue: $0.value, orderNum: $0.orderNum)
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeSLAPolicyInput) async throws -> AnytimeSLAPolicy {
        let site = context.site
        let stored = SLAPolicyRow(
            id: UUID().uuidString.lowercased(), siteId: context.site, isEnabled: input.isEnabled ?? true,
            firstRespondWithin: try Self.hours(input.firstRespondWithin, "firstRespondWithin") ?? 0,
            nextRespondWithin: try Self.hours(input.nextRespondWithin, "nextRespondWithin") ?? 0,
            resolveRespondWithin: try Self.hours(input.resolveRespondWithin, "resolveRespondWithin") ?? 0,
            isBusinessHours: try Self.businessHours(input) ?? false, combination: AnytimeConditionsWhen.all.rawValue, logicExpression: nil,
            orderNum: 0, createdTime: self.store.now)
        return try await self.store.write(settingsOf: site, "slaPolicies") { tx in
            var row = stored
            let conditions = try await Self.conditions(input, site: site, tx: tx)
            if let conditions { (row.combination, row.logicExpression) = (conditions.when.rawValue, conditions.logicExpression) }
            let rows = Self.rows(conditions?.list ?? [], policy: row)
            try await tx.slaPolicies.insert(row)
            try await tx.slaPolicies.setConditions(rows, of: row.id)
            return try await Self.policy(row.id, site: row.siteId, tx: tx).wire(conditions: rows)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeSLAPolicyInput) async throws -> AnytimeSLAPolicy {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        let first = try Self.hours(input.firstRespondWithin, "firstRespondWithin")
        let next = try Self.hours(input.nextRespondWithin, "nextRespondWithin")
        let resolve = try Self.hours(input.resolveRespondWithin, "resolveRespondWithin")
        let business = try Self.businessHours(input)
        return try await self.store.write(settingsOf: site, "slaPolicies") { tx in
            var row = try await Self.policy(id, site: site, tx: tx)
            let conditions = try await Self.conditions(input, site: site, tx: tx)
            let wasEnabled = row.isEnabled
            if let enabled = input.isEnabled { row.isEnabled = enabled }
            if let first { row.firstRespondWithin = first }
            if let next { row.nextRespondWithin = next }
            if let resolve { row.resolveRespondWithin = resolve }
            if let business { row.isBusinessHours = business }
            var stored = try await tx.slaPolicies.conditions(of: [row.id])[row.id] ?? []
            if let conditions {
                (row.combination, row.logicExpression) = (conditions.when.rawValue, conditions.logicExpression)
                stored = Self.rows(conditions.list, policy: row)
                try await tx.slaPolicies.setConditions(stored, of: row.id)
            }
            try await tx.slaPolicies.update(row)
            // A policy turned off no longer governs its conversations (spec §5.17).
            if wasEnabled, !row.isEnabled { try await SLAClock.rematch(under: row.id, site: site, now: now, tx: tx) }
            return row.wire(conditions: stored)
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        try await self.store.write(settingsOf: site, "slaPolicies") { tx in
            let row = try await Self.policy(id, site: site, tx: tx)
            try await tx.slaPolicies.delete(id: row.id, site: site)
            try await tx.slaPolicies.renumber(try await tx.slaPolicies.policies(site: site).map(\.id), site: site)
            try await SLAClock.rematch(under: row.id, site: site, now: now, tx: tx)
        }
        return EmptyBody()
    }

    /// Swaps the policy with its neighbour; the first moved up or the last moved down stays (decision 256).
    @Sendable func sort(_ request: Request, context: AuthenticatedContext, input: AnytimeSLASortInput) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        guard let text = input.type?.trimmingCharacters(in: .whitespaces) else { throw ServiceError.missing("type") }
        guard let up = ["up": true, "down": false][text.lowercased()] else {
            throw ServiceError.invalid("type", "Field 'type' must be up or down, not '\(AnytimeLimits.shortened(text))'.")
        }
        try await self.store.write(settingsOf: site, "slaPolicies") { tx in
            let row = try await Self.policy(id, site: site, tx: tx)
            var ids = try await tx.slaPolicies.policies(site: site).map(\.id)
            let index = ids.firstIndex(of: row.id)!
            let other = up ? index - 1 : index + 1
            if ids.indices.contains(other) { ids.swapAt(index, other) }
            try await tx.slaPolicies.renumber(ids, site: site)
        }
        return EmptyBody()
    }
}
