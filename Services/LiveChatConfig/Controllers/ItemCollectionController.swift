import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// The operations a Live Chat collection serves.
enum CollectionOperation: Sendable, CaseIterable {
    case list, get, create, update, delete
}

/// Serves one kind of configuration object under `/api/v1/livechat`: list, get, create, partial update and
/// delete, as far as the seed documents them, at the seed's path and its spelling variants.
struct ItemCollectionController<Rules: ItemRules> {
    let rules: Rules
    let store: any ConfigurationRepository
    /// The collection's path below `/api/v1/livechat`, canonical first (`/visitorSegments`, `/visitorSegmentations`).
    /// A path starting `/campaigns/:id/` belongs to a campaign; its objects are then `:itemId`.
    let paths: [String]
    let operations: Set<CollectionOperation>
    /// Operations the seed lacks that Switchboard adds (documented as extensions).
    var extensions: Set<CollectionOperation> = []
    let tag: String

    var isCampaignChild: Bool { self.paths[0].hasPrefix("/campaigns/:id/") }
    var idParameter: String { self.isCampaignChild ? "itemId" : "id" }

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        let served = self.operations.union(self.extensions)
        for (index, path) in self.paths.enumerated() {
            let item = "\(path)/:\(self.idParameter)"
            let alias = index == 0 ? "" : " (spelling variant)"
            if served.contains(.list) { group.get(RouterPath(path), use: self.list) }
            if served.contains(.get) { group.get(RouterPath(item), use: self.get) }
            if served.contains(.create) { group.post(RouterPath(path), use: self.create) }
            if served.contains(.update) { group.put(RouterPath(item), use: self.update) }
            if served.contains(.delete) { group.delete(RouterPath(item), use: self.delete) }
            let name = self.rules.title
            for (operation, method, route, summary, ok) in [
                (CollectionOperation.list, HTTPRequest.Method.get, path, "List \(name.lowercased())s", "\(name)[]"),
                (.get, .get, item, "Get a \(name.lowercased())", name),
                (.create, .post, path, "Create a \(name.lowercased())", name),
                (.update, .put, item, "Update a \(name.lowercased()) (fields left out keep their value)", name),
                (.delete, .delete, item, "Remove a \(name.lowercased())", "Removed (empty body)"),
            ] where served.contains(operation) {
                var responses: [Int: String] = [200: ok, 401: "Unauthorized", 404: "Not found"]
                if let permission = self.rules.permission { responses[403] = "Missing permission \(permission)" }
                if operation == .create || operation == .update { responses[400] = "Invalid \(name.lowercased())" }
                if self.rules is any UniquelyNamed { responses[409] = "Name taken" }
                document.describe(
                    method, "/api/v1/livechat" + Self.openAPIPath(route),
                    .init(summary + alias, tag: self.tag, security: ["basicAuth", "bearerAuth"], isExtension: self.extensions.contains(operation), responses: responses)
                )
            }
        }
    }

    /// `:id` → `{id}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        try self.requirePermission(for: nil, context: context)
        var items: [Rules.Item] = []
        for stored in try await self.store.items(in: configuration.scope(self.rules.kind), visibleTo: configuration.agentId) {
            items.append(try await self.rules.presented(try Self.item(stored), in: configuration))
        }
        return try Self.json(items)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let item = try await self.stored(context: context, in: configuration)
        try self.requirePermission(for: item, context: context)
        return try Self.json(try await self.rules.presented(item, in: configuration))
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let body = self.rules.normalized(try await request.configurationBody(context: context)).removing("id")
        var item = try await self.rules.validated(try body.decode(as: Rules.Item.self), previous: nil, in: configuration)
        try self.requirePermission(for: item, context: context)
        let owner = self.rules.isPrivate(item) ? configuration.agentId : nil
        let write = try await self.store.insert(try JSONValue(encoding: item), nameKey: self.rules.nameKey(of: item), ownerId: owner, in: configuration.scope(self.rules.kind))
        item.id = try self.writtenID(write, item)
        try await self.rules.didSave(item, in: configuration)
        return try Self.json(try await self.rules.presented(item, in: configuration))
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let stored = try await self.stored(context: context, in: configuration)
        try self.requirePermission(for: stored, context: context)
        let patch = self.rules.normalized(try await request.configurationBody(context: context)).removing("id")
        // The patch applies to what a GET shows, so values kept elsewhere (department members) are current.
        let shown = try await self.rules.presented(stored, in: configuration)
        var item = try await self.rules.validated(try self.rules.merged(shown, with: patch), previous: shown, in: configuration)
        item.id = stored.id
        try self.requirePermission(for: item, context: context)
        _ = try self.writtenID(
            try await self.store.update(id: stored.id ?? 0, try JSONValue(encoding: item), nameKey: self.rules.nameKey(of: item), in: configuration.scope(self.rules.kind)),
            item
        )
        try await self.rules.didSave(item, in: configuration)
        return try Self.json(try await self.rules.presented(item, in: configuration))
    }

    /// 200 with an empty body, as every Live Chat DELETE.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let configuration = try await self.configurationRequest(context)
        let stored = try await self.stored(context: context, in: configuration)
        try self.requirePermission(for: stored, context: context)
        try await self.rules.willDelete(stored, in: configuration)
        guard try await self.store.delete(id: stored.id ?? 0, in: configuration.scope(self.rules.kind)) else { throw ServiceError.notFound(self.rules.title) }
        return Response(status: .ok)
    }

    /// The site, and for campaign settings the campaign, which must exist (404 otherwise).
    func configurationRequest(_ context: AuthenticatedContext) async throws -> ConfigurationRequest {
        var configuration = ConfigurationRequest(siteId: context.identity.tenant, campaignId: 0, identity: context.identity)
        if self.isCampaignChild {
            configuration.campaignId = try await CampaignLookup(store: self.store).existingCampaignID(context: context)
        }
        return configuration
    }

    /// The object the path names; another agent's private object is not found.
    func stored(context: AuthenticatedContext, in configuration: ConfigurationRequest) async throws -> Rules.Item {
        guard let id = Int(try context.parameters.require(self.idParameter)),
            let stored = try await self.store.item(id: id, in: configuration.scope(self.rules.kind)),
            stored.ownerId == nil || stored.ownerId == configuration.agentId
        else { throw ServiceError.notFound(self.rules.title) }
        return try Self.item(stored)
    }

    /// Private objects need no permission: they belong to their agent.
    func requirePermission(for item: Rules.Item?, context: AuthenticatedContext) throws {
        guard let permission = self.rules.permission else { return }
        if let item, self.rules.isPrivate(item) { return }
        try context.require(permission: permission)
    }

    func writtenID(_ write: ItemWrite, _ item: Rules.Item) throws -> Int {
        switch write {
        case .written(let id): return id
        case .missing: throw ServiceError.notFound(self.rules.title)
        case .nameTaken:
            let name = (try? JSONValue(encoding: item).object?["name"]).flatMap { value -> String? in if case .string(let text) = value { text } else { nil } } ?? ""
            throw ServiceError(.conflict, code: 409000, message: "\(self.rules.title) with name \(name) already exists.")
        }
    }

    static func item(_ stored: StoredItem) throws -> Rules.Item {
        try stored.object(as: Rules.Item.self)
    }

    static func json(_ value: some Encodable) throws -> Response {
        try LiveChatJSON.response(value)
    }
}

/// Rules whose objects have site-unique names.
protocol UniquelyNamed {}

/// Finds the campaign a campaign-settings path names.
struct CampaignLookup {
    let store: any ConfigurationRepository

    func existingCampaignID(context: AuthenticatedContext) async throws -> Int {
        guard let id = Int(try context.parameters.require("id")),
            try await self.store.item(id: id, in: ConfigurationScope(siteId: context.identity.tenant, kind: CampaignRules.kind)) != nil
        else { throw ServiceError.notFound("Campaign") }
        return id
    }
}
