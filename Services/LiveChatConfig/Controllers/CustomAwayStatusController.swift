import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension LiveChatCustomAwayStatus: ResponseEncodable {}

/// `/api/v1/livechat/customAwayStatus` (singular even for the list, as the seed spells it; permission
/// `Manage Settings`).
struct CustomAwayStatusController {
    let statuses: any CustomAwayStatusRepository
    let agents: any LiveChatAgentRepository
    static let permission = "Manage Settings"
    /// The statuses every agent has; a custom one may not take their names.
    static let builtIn: Set<String> = ["online", "away", "offline"]

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Custom away status")
        let errors: [Int: String] = [400: "Invalid status", 403: "Missing permission Manage Settings", 404: "Not found", 409: "Name taken"]
        api.get("/customAwayStatus", "List custom away statuses", returns: [LiveChatCustomAwayStatus].self, errors: errors, use: self.list)
        api.get("/customAwayStatus/{id}", "Get a custom away status", returns: LiveChatCustomAwayStatus.self, errors: errors, use: self.get)
        api.post(
            "/customAwayStatus", "Create a custom away status", body: LiveChatCustomAwayStatus.self, returns: LiveChatCustomAwayStatus.self,
            errors: errors,
            use: self.create
        )
        api.put(
            "/customAwayStatus/{id}", "Update a custom away status (fields left out keep their value)", body: Patch.self,
            returns: LiveChatCustomAwayStatus.self,
            errors: errors, use: self.update
        )
        api.delete("/customAwayStatus/{id}", "Remove a custom away status", returns: EmptyBody.self, errors: errors, use: self.delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [LiveChatCustomAwayStatus] {
        try context.require(permission: Self.permission)
        return try await self.statuses.statuses(siteId: context.identity.tenant)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatCustomAwayStatus {
        try context.require(permission: Self.permission)
        guard let status = try await self.statuses.status(id: try context.objectID("Custom away status"), siteId: context.identity.tenant) else {
            throw ServiceError.notFound("Custom away status")
        }
        return status
    }

    @Sendable func create(
        _ request: Request, context: AuthenticatedContext, status: LiveChatCustomAwayStatus
    ) async throws -> LiveChatCustomAwayStatus {
        try context.require(permission: Self.permission)
        let status = try Self.validated(status)
        guard let created = try await self.statuses.create(status, siteId: context.identity.tenant) else { throw Self.taken(status.name) }
        return created
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, patch: Patch) async throws -> LiveChatCustomAwayStatus {
        try context.require(permission: Self.permission)
        let id = try context.objectID("Custom away status")
        guard var status = try await self.statuses.status(id: id, siteId: context.identity.tenant) else {
            throw ServiceError.notFound("Custom away status")
        }
        if let name = patch.name { status.name = name }
        if let isVisible = patch.isVisible { status.isVisible = isVisible }
        status = try Self.validated(status)
        guard try await self.statuses.update(status, siteId: context.identity.tenant) else { throw Self.taken(status.name) }
        return status
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: Self.permission)
        let id = try context.objectID("Custom away status")
        guard let status = try await self.statuses.status(id: id, siteId: context.identity.tenant),
            try await self.statuses.delete(id: id, siteId: context.identity.tenant)
        else { throw ServiceError.notFound("Custom away status") }
        // Agents in the removed status are away.
        try await self.agents.resetStatus(status.name, siteId: context.identity.tenant)
        return EmptyBody()
    }

    struct Patch: Decodable {
        var name: String?
        var isVisible: Bool?
    }

    static func validated(_ status: LiveChatCustomAwayStatus) throws -> LiveChatCustomAwayStatus {
        var status = status
        status.name = status.name.trimmingCharacters(in: .whitespaces)
        guard !status.name.isEmpty else { throw ServiceError.missing("name") }
        guard status.name.count <= 128 else { throw ServiceError.invalid("name", "Parameter 'name' must be at most 128 characters.") }
        guard !Self.builtIn.contains(status.name.lowercased()) else {
            throw ServiceError.invalid("name", "Parameter 'name' must not be a built-in status (online, away, offline).")
        }
        return status
    }

    static func taken(_ name: String) -> ServiceError {
        ServiceError(.conflict, code: 409000, message: "Custom away status with name \(name) already exists.")
    }
}
