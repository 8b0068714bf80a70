import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeView: ResponseEncodable {}
extension AnytimeUnreadCounts: ResponseEncodable {}

/// `/api/v3/anytime/views` and `/conversations/unreadCount` (seed 000 L538–L547, L729–L797; spec §3.1 #10, §3.8,
/// §5.10). A private view is seen, changed and deleted only by the agent who made it (another agent gets 404); a public
/// one by every agent of the site (decision 220).
struct ViewController {
    let store: ConversationStore

    static let maxViewIds = 100

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let errors = [400: "Invalid view or parameter", 404: "Not found"]
        let views = api.tagged("Views")
        views.get("/views", "The views the caller can see, oldest first, without their conditions", returns: [AnytimeView].self, errors: errors) {
            _, context in
            let (site, agent) = (context.site, context.agentId)
            return try await self.store.read { tx in try await tx.views.views(site: site, agent: agent).map { $0.wire(conditions: nil) } }
        }
        views.post(
            "/views", "Create a view", body: AnytimeViewInput.self, returns: AnytimeView.self, status: .created, errors: errors, use: self.create)
        views.get("/views/{id}", "Get a view with its conditions", returns: AnytimeView.self, errors: errors, use: self.get)
        views.put(
            "/views/{id}", "Update a view (members left out keep their value; conditions given replace the stored ones)",
            body: AnytimeViewInput.self, returns: AnytimeView.self, errors: errors, use: self.update)
        views.delete("/views/{id}", "Delete a view", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
        api.tagged("Conversations").get(
            "/conversations/unreadCount", "Unread conversations of the site, and per view those unread and those mentioning the caller unread",
            returns: AnytimeUnreadCounts.self,
            query: [QueryParameter("viewIds", "Views to count (repeated or comma-separated); every view the caller can see by default")],
            errors: errors, use: self.unreadCount)
    }

    /// The view of the path if the caller may see it, else 404.
    static func visibleView(_ id: String, context: AuthenticatedContext, tx: Tx) async throws -> ViewRow {
        guard id.count <= AnytimeLimits.id, let row = try await tx.views.view(id: id, site: context.site, agent: context.agentId) else {
            throw ServiceError.notFound("View")
        }
        return row
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeView {
        let id = try context.parameters.require("id")
        return try await self.store.read { tx in
            let row = try await Self.visibleView(id, context: context, tx: tx)
            return row.wire(conditions: try await tx.views.conditions(of: row.id))
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeViewInput) async throws -> AnytimeView {
        let (site, agent, now) = (context.site, context.agentId, self.store.now)
        return try await self.store.write { tx in
            let definition = try ViewDefinition(input, creating: true, custom: try await Self.customFields(for: input, site: site, tx: tx))
            let conditions = definition.conditions ?? ViewDefinition.ConditionList(when: .all, logicExpression: nil, list: [])
            let row = ViewRow(
                id: UUID().uuidString.lowercased(), siteId: site, name: definition.name ?? "", isPrivate: definition.isPrivate ?? false,
                createdById: agent, combination: conditions.when.rawValue, logicExpression: conditions.logicExpression, createdTime: now)
            let rows = Self.rows(conditions.list, view: row)
            try await tx.views.insert(row)
            try await tx.views.setConditions(rows, of: row.id)
            return row.wire(conditions: rows)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeViewInput) async throws -> AnytimeView {
        let id = try context.parameters.require("id")
        return try await self.store.write { tx in
            let definition = try ViewDefinition(
                input, creating: false, custom: try await Self.customFields(for: input, site: context.site, tx: tx))
            var row = try await Self.visibleView(id, context: context, tx: tx)
            if let name = definition.name { row.name = name }
            if let isPrivate = definition.isPrivate {
                // Only its maker may hide a view (anyone else would lose it at once).
                if isPrivate, !row.isPrivate, row.createdById != context.agentId {
                    throw ServiceError.forbidden("Only the agent who made a view may make it private.")
                }
                row.isPrivate = isPrivate
            }
            var conditions = try await tx.views.conditions(of: row.id)
            if let given = definition.conditions {
                (row.combination, row.logicExpression) = (given.when.rawValue, given.logicExpression)
                conditions = Self.rows(given.list, view: row)
                try await tx.views.setConditions(conditions, of: row.id)
            }
            try await tx.views.update(row)
            return row.wire(conditions: conditions)
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let id = try context.parameters.require("id")
        try await self.store.write { tx in
            let row = try await Self.visibleView(id, context: context, tx: tx)
            try await tx.views.delete(id: row.id, site: row.siteId)
        }
        return EmptyBody()
    }

    /// Counts over conversations in use, whatever their last reply time (spec §5.10, decision 224): `allCount` the
    /// site's unread ones; per view those unread that match it, and those of them with an unread mention of the caller.
    @Sendable func unreadCount(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeUnreadCounts {
        var asked: [String] = []
        for item in URLComponents(string: request.uri.description)?.queryItems ?? []
        where ["viewids", "viewids[]", "viewid"].contains(item.name.lowercased()) {
            for part in (item.value ?? "").split(separator: ",") {
                let id = part.trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty, !asked.contains(id) else { continue }
                guard id.count <= AnytimeLimits.id else {
                    throw ServiceError.invalid("viewIds", "Parameter 'viewIds' holds an id longer than \(AnytimeLimits.id) characters.")
                }
                asked.append(id)
            }
        }
        guard asked.count <= Self.maxViewIds else {
            throw ServiceError.invalid("viewIds", "Parameter 'viewIds' may name at most \(Self.maxViewIds) views.")
        }
        let wanted = asked
        let (site, agent) = (context.site, context.agentId)
        return try await self.store.read { tx in
            var views: [ViewRow] = []
            if wanted.isEmpty {
                views = try await tx.views.views(site: site, agent: agent)
            } else {
                for id in wanted { views.append(try await Self.visibleView(id, context: context, tx: tx)) }
            }
            var counts: [AnytimeViewUnreadCount] = []
            for view in views {
                let predicate = try await ViewDefinition.predicate(of: view, tx: tx)
                counts.append(
                    AnytimeViewUnreadCount(
                        viewId: view.id, unreadCount: try await tx.views.unreadCount(site: site, predicate: predicate),
                        unreadMentionedCount: try await tx.views.unreadCount(site: site, predicate: predicate, mentioning: agent)))
            }
            return AnytimeUnreadCounts(allCount: try await tx.views.unreadCount(site: site, predicate: nil), views: counts)
        }
    }

    /// The site's fields when `input`'s conditions name a custom one.
    static func customFields(for input: AnytimeViewInput, site: String, tx: Tx) async throws -> [FieldDefinition] {
        ViewDefinition.needsCustomFields(input) ? try await FieldCatalog.all(site: site, tx: tx) : []
    }

    static func rows(_ conditions: [ConversationConditions.Checked], view: ViewRow) -> [ViewConditionRow] {
        conditions.map {
            ViewConditionRow(
                id: UUID().uuidString.lowercased(), siteId: view.siteId, viewId: view.id, fieldId: $0.fieldId, matchType: $0.matchType.rawValue,
                matchValue: $0.value, orderNum: $0.orderNum)
        }
    }
}
