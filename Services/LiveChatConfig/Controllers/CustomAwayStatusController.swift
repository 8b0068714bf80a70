import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension LiveChatCustomAwayStatus: ResponseEncodable {}

/// `/api/v1/livechat/customAwayStatus` (singular even for the list, as the seed spells it; permission
/// `Manage Settings`).
struct CustomAwayStatusController {
    let statuses: CustomAwayStatusSQLRepository
    let agents: LiveChatAgentSQLRepository
    static let permission = "Manage Settings"
    /// The statuses every agent has; a custom one may not take their names.
    static let builtIn: Set<String> = ["online", "away", "offline"]

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Custom away status")
        let errors: [Int: String] = [400: "Invalid status", 403: "Missing permission Manage Settings", 404: "Not found", 409: "Name taken"]
        api.get("/customAwayStatus", "List custom away statuses", returns: [LiveChatCustomAwayStatus].self, errors: errors) { _, context in
            try context.require(permission: Self.permission)
            return try await self.statuses.statuses(siteId: context.identity.tenant)
        }
        api.get("/customAwayStatus/{id}", "Get a custom away status", returns: LiveChatCustomAwayStatus.self, errors: errors) { _, context in
            try await self.status(context)
        }
        api.post(
            "/customAwayStatus", "Create a custom away status", body: LiveChatCustomAwayStatus.self, returns: LiveChatCustomAwayStatus.self,
            errors: errors
        ) { _, context, status in
            try context.require(permission: Self.permission)
            let status = try Self.validated(status)
            guard let created = try await self.statuses.create(status, siteId: context.identity.tenant) else { throw Self.taken(status.name) }
            return created
        }
        api.put(
            "/customAwayStatus/{id}", "Update a custom away status (fields left out keep their value)", body: Patch.self,
            returns: LiveChatCustomAwayStatus.self, errors: errors
        ) { _, context, patch in
            try await self.statuses.database.write(site: context.identity.tenant) { _ in
                var status = try await self.status(context)
                status.name = patch.name ?? status.name
                status.isVisible = patch.isVisible ?? status.isVisible
                status = try Self.validated(status)
                guard try await self.statuses.update(status, siteId: context.identity.tenant) else { throw Self.taken(status.name) }
                return status
            }
        }
        // Agents in the removed status are away.
        api.delete("/customAwayStatus/{id}", "Remove a custom away status", returns: EmptyBody.self, errors: errors) { _, context in
            try await self.statuses.database.write(site: context.identity.tenant) { _ in
                let status = try await self.status(context)
                _ = try await self.statuses.delete(id: status.id ?? 0, siteId: context.identity.tenant)
                try await self.agents.resetStatus(status.name, siteId: context.identity.tenant)
                return EmptyBody()
            }
        }
    }

    /// The status the path names, in the caller's site.
    func status(_ context: AuthenticatedContext) async throws -> LiveChatCustomAwayStatus {
        try context.require(permission: Self.permission)
        guard let status = try await self.statuses.status(id: try context.objectID("Custom away status"), siteId: context.identity.tenant) else {
            throw ServiceError.notFound("Custom away status")
        }
        return status
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
