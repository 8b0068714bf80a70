import HTTPTypes
import Hummingbird
import ServiceKit

extension RequestContext {
    /// A Live Chat object's integer id from the path; one that is not a number names nothing (404).
    func objectID(_ what: String) throws -> Int {
        guard let id = Int(try self.parameters.require("id")) else { throw ServiceError.notFound(what) }
        return id
    }
}

extension AuthenticatedContext {
    /// The signed-in agent's site.
    var site: Site { Site(id: self.identity.tenant) }

    /// Whether the agent holds `permission` (administrators hold every one).
    func holds(permission: String) -> Bool {
        // The seed misspells one permission; an agent granted either spelling holds it.
        self.identity.has(permission: permission)
            || (permission == CannedMessagePermission.name && self.identity.has(permission: CannedMessagePermission.seedSpelling))
    }

    /// 403 in Comm100's shape unless the agent holds `permission`.
    func require(permission: String) throws {
        guard self.holds(permission: permission) else { throw ServiceError.forbidden("Permission '\(permission)' is required.") }
    }

    /// The site and the agent, and for a route below `/campaigns/{id}` the campaign, which must exist (404 otherwise).
    func configurationRequest(store: ConfigurationSQLRepository, campaign: Bool) async throws -> ConfigurationRequest {
        var request = ConfigurationRequest(site: self.site, agentId: Int(self.identity.principalID) ?? 0)
        if campaign {
            request.campaignId = try await store.existingCampaign(try self.parameters.require("id"), site: self.site)
        }
        return request
    }

    /// `body` on the request's configuration in one transaction holding the site's lock, so what it reads, checks
    /// and writes (the stored document, a name clash, cascades) is one change.
    func changingConfiguration<T: Sendable>(
        store: ConfigurationSQLRepository, campaign: Bool, _ body: @Sendable (ConfigurationRequest) async throws -> T
    ) async throws -> T {
        try await store.database.write(site: self.identity.tenant) { _ in
            try await body(try await self.configurationRequest(store: store, campaign: campaign))
        }
    }
}
