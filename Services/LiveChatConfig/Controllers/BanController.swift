import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension LiveChatBan: ResponseEncodable {}

/// `/api/v1/livechat/bans`: the site's ban list (permission `Manage Ban List`).
struct BanController {
    let bans: BanSQLRepository
    static let permission = "Manage Ban List"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Bans")
        let errors: [Int: String] = [400: "Invalid ban", 403: "Missing permission Manage Ban List", 404: "Not found"]
        api.get("/bans", "List bans", returns: [LiveChatBan].self, errors: errors) { _, context in
            try context.require(permission: Self.permission)
            return try await self.bans.bans(siteId: context.identity.tenant)
        }
        api.get("/bans/{id}", "Get a ban", returns: LiveChatBan.self, errors: errors) { _, context in try await self.ban(context) }
        api.post("/bans", "Create a ban", body: LiveChatBan.self, returns: LiveChatBan.self, errors: errors) { _, context, ban in
            try context.require(permission: Self.permission)
            return try await self.bans.create(try Self.validated(ban), siteId: context.identity.tenant)
        }
        api.put("/bans/{id}", "Update a ban (fields left out keep their value)", body: BanPatch.self, returns: LiveChatBan.self, errors: errors) {
            _, context, patch in try await self.update(patch, context: context)
        }
        // 200 with an empty body, as every Live Chat DELETE.
        api.delete("/bans/{id}", "Remove a ban", returns: EmptyBody.self, errors: errors) { _, context in
            try context.require(permission: Self.permission)
            guard try await self.bans.delete(id: try context.objectID("Ban"), siteId: context.identity.tenant) else {
                throw ServiceError.notFound("Ban")
            }
            return EmptyBody()
        }
    }

    /// The ban the path names, in the caller's site.
    func ban(_ context: AuthenticatedContext) async throws -> LiveChatBan {
        try context.require(permission: Self.permission)
        guard let ban = try await self.bans.ban(id: try context.objectID("Ban"), siteId: context.identity.tenant) else {
            throw ServiceError.notFound("Ban")
        }
        return ban
    }

    /// A partial update: keys the body leaves out keep their stored value (spec note §2.2); read and written in one
    /// transaction.
    func update(_ patch: BanPatch, context: AuthenticatedContext) async throws -> LiveChatBan {
        try await self.bans.database.write(site: context.identity.tenant) { _ in
            var ban = try await self.ban(context)
            ban.type = patch.type ?? ban.type
            ban.visitorId = patch.visitorId ?? ban.visitorId
            ban.ipAddress = patch.ipAddress ?? ban.ipAddress
            ban.comment = patch.comment ?? ban.comment
            ban = try Self.validated(ban)
            guard try await self.bans.update(ban, siteId: context.identity.tenant) else { throw ServiceError.notFound("Ban") }
            return ban
        }
    }

    /// The fields a PUT may carry, all optional.
    struct BanPatch: Decodable {
        var type: String?
        var visitorId: String?
        var ipAddress: String?
        var comment: String?
    }

    /// `type` is `visitor` (with `visitorId`) or `ip` (with an `ipAddress` in one of the three forms).
    static func validated(_ ban: LiveChatBan) throws -> LiveChatBan {
        var ban = ban
        switch ban.type.lowercased() {
        case "visitor":
            guard let visitor = ban.visitorId?.trimmingCharacters(in: .whitespaces), !visitor.isEmpty else { throw ServiceError.missing("visitorId") }
            try Validation.length(visitor, atMost: 200, "visitorId")
            ban.type = "visitor"
            ban.visitorId = visitor
            ban.ipAddress = nil
        case "ip":
            guard let address = ban.ipAddress?.trimmingCharacters(in: .whitespaces), !address.isEmpty else { throw ServiceError.missing("ipAddress") }
            guard IPRange(address) != nil else {
                throw ServiceError.invalid(
                    "ipAddress", "Parameter 'ipAddress' must be an IP address, a CIDR block or a range like 192.168.8.0-192.168.8.255.")
            }
            ban.type = "ip"
            ban.ipAddress = address.replacingOccurrences(of: " ", with: "")
            ban.visitorId = nil
        default:
            throw ServiceError.invalid("type", "Parameter 'type' must be visitor or ip.")
        }
        return ban
    }
}
