import Hummingbird
import ServiceKit
import WireModels

/// The operations a Live Chat collection serves.
enum CollectionOperation: Sendable, CaseIterable {
    case list, get, create, update, delete
}

/// Serves one kind of configuration object under `/api/v1/livechat`: list, get, create, partial update and
/// delete, as far as the seed documents them, at the seed's path and its spelling variants.
struct ItemCollectionController<Rules: ItemRules> where Rules.Item: ResponseEncodable {
    let rules: Rules
    let store: ConfigurationSQLRepository
    /// The collection's path below `/api/v1/livechat`, canonical first (`/visitorSegments`, `/visitorSegmentations`).
    /// A path starting `/campaigns/{id}/` belongs to a campaign; its objects are then `{itemId}`.
    let paths: [String]
    let operations: Set<CollectionOperation>
    /// Operations the seed lacks that Switchboard adds (documented as extensions).
    var extensions: Set<CollectionOperation> = []
    let tag: String

    var isCampaignChild: Bool { self.paths[0].hasPrefix("/campaigns/{id}/") }
    var idParameter: String { self.isCampaignChild ? "itemId" : "id" }

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let name = self.rules.title.lowercased()
        var errors: [Int: String] = [404: "Not found"]
        if let permission = self.rules.permission { errors[403] = "Missing permission \(permission)" }
        var writeErrors = errors
        writeErrors[400] = "Invalid \(name)"
        if self.rules is any UniquelyNamed { writeErrors[409] = "Name taken" }
        /// The group for an operation this collection serves, marked when it is an extension.
        func served(_ operation: CollectionOperation) -> Endpoints<AuthenticatedContext>? {
            guard self.operations.contains(operation) || self.extensions.contains(operation) else { return nil }
            return api.tagged(self.tag, isExtension: self.extensions.contains(operation))
        }
        for (index, path) in self.paths.enumerated() {
            let item = "\(path)/{\(self.idParameter)}"
            let variant = index == 0 ? "" : " (spelling variant)"
            served(.list)?.get(path, "List \(name)s" + variant, returns: [Rules.Item].self, errors: errors, use: self.list)
            served(.get)?.get(item, "Get a \(name)" + variant, returns: Rules.Item.self, errors: errors, use: self.get)
            served(.create)?.post(
                path, "Create a \(name)" + variant, body: ConfigurationBody<Rules.Item>.self, returns: Rules.Item.self, errors: writeErrors,
                use: self.create
            )
            served(.update)?.put(
                item, "Update a \(name) (fields left out keep their value)" + variant, body: ConfigurationBody<Rules.Item>.self,
                returns: Rules.Item.self,
                errors: writeErrors, use: self.update
            )
            served(.delete)?.delete(item, "Remove a \(name)" + variant, returns: EmptyBody.self, errors: errors, use: self.delete)
        }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [Rules.Item] {
        if let permission = self.rules.permission { try context.require(permission: permission) }
        let configuration = try await context.configurationRequest(store: self.store, campaign: self.isCampaignChild)
        var items: [Rules.Item] = []
        for item in try await self.store.items(Rules.Item.self, in: configuration.scope(self.rules.kind), visibleTo: configuration.agentId) {
            items.append(try await self.rules.presented(item, in: configuration))
        }
        return items
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Rules.Item {
        let holds = try self.checkPermission(context)
        let configuration = try await context.configurationRequest(store: self.store, campaign: self.isCampaignChild)
        return try await self.rules.presented(try await self.stored(context, holds: holds, in: configuration), in: configuration)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, body: ConfigurationBody<Rules.Item>) async throws -> Rules.Item {
        let holds = try self.checkPermission(context)
        return try await context.changingConfiguration(store: self.store, campaign: self.isCampaignChild) { configuration in
            let sent = try body.json.removing("id").decode(as: Rules.Item.self)
            if !holds, !self.rules.isPrivate(sent), let permission = self.rules.permission { try context.require(permission: permission) }
            var item = try await self.rules.validated(sent, previous: nil, in: configuration)
            let owner = self.rules.isPrivate(item) ? configuration.agentId : nil
            let write = try await self.store.insert(
                item, nameKey: self.nameKey(of: item), ownerId: owner, in: configuration.scope(self.rules.kind))
            item.id = try self.writtenID(write, item)
            try await self.rules.didSave(item, in: configuration)
            return try await self.rules.presented(item, in: configuration)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, body: ConfigurationBody<Rules.Item>) async throws -> Rules.Item {
        let holds = try self.checkPermission(context)
        return try await context.changingConfiguration(store: self.store, campaign: self.isCampaignChild) { configuration in
            let stored = try await self.stored(context, holds: holds, in: configuration)
            let patch = body.json.removing("id")
            // The patch applies to what a GET shows, so values kept elsewhere (department members) are current.
            let shown = try await self.rules.presented(stored, in: configuration)
            var item = try await self.rules.validated(try self.rules.merged(shown, with: patch), previous: shown, in: configuration)
            item.id = stored.id
            if !holds, !self.rules.isPrivate(item), let permission = self.rules.permission { try context.require(permission: permission) }
            _ = try self.writtenID(
                try await self.store.update(item, nameKey: self.nameKey(of: item), in: configuration.scope(self.rules.kind)), item)
            try await self.rules.didSave(item, in: configuration)
            return try await self.rules.presented(item, in: configuration)
        }
    }

    /// 200 with an empty body, as every Live Chat DELETE.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let holds = try self.checkPermission(context)
        return try await context.changingConfiguration(store: self.store, campaign: self.isCampaignChild) { configuration in
            let stored = try await self.stored(context, holds: holds, in: configuration)
            try await self.rules.willDelete(stored, in: configuration)
            guard try await self.store.delete(id: stored.id ?? 0, in: configuration.scope(self.rules.kind)) else {
                throw ServiceError.notFound(self.rules.title)
            }
            return EmptyBody()
        }
    }

    /// Whether the caller holds the collection's permission, checked before anything is looked up or validated so a
    /// caller without it learns nothing (LC-22). Without it only collections with private objects go on, to the
    /// caller's own objects.
    func checkPermission(_ context: AuthenticatedContext) throws -> Bool {
        guard let permission = self.rules.permission, !context.holds(permission: permission) else { return true }
        if !self.rules.hasPrivateItems { try context.require(permission: permission) }
        return false
    }

    /// The object the path names; another agent's private object is not found. A caller without the permission
    /// reaches only their own private objects: anything else, existing or not, is a 403.
    func stored(_ context: AuthenticatedContext, holds: Bool, in configuration: ConfigurationRequest) async throws -> Rules.Item {
        var item: Rules.Item?
        if let id = Int(try context.parameters.require(self.idParameter)) {
            item = try await self.store.item(Rules.Item.self, id: id, in: configuration.scope(self.rules.kind), visibleTo: configuration.agentId)
        }
        if !holds, item.map(self.rules.isPrivate) != true, let permission = self.rules.permission { try context.require(permission: permission) }
        guard let item else { throw ServiceError.notFound(self.rules.title) }
        return item
    }

    func writtenID(_ write: ItemWrite, _ item: Rules.Item) throws -> Int {
        switch write {
        case .written(let id): return id
        case .missing: throw ServiceError.notFound(self.rules.title)
        case .nameTaken:
            throw ServiceError(.conflict, code: 409000, message: "\(self.rules.title) with name \(item.name ?? "") already exists.")
        }
    }

    /// The key that keeps names unique in the scope when the rules want them unique.
    func nameKey(of item: Rules.Item) -> String? { self.rules is any UniquelyNamed ? item.name?.lowercased() : nil }
}
