import Hummingbird
import ServiceKit
import WireModels

extension ChatwootTeam: ResponseEncodable {}
extension ChatwootAgent: ResponseEncodable {}

/// `/api/v1/accounts/{account_id}/teams`: any member reads teams and their members; administrators manage them.
struct TeamController {
    let access: ChatwootAccess
    let teams: TeamSQLRepository

    /// `team_create_update_payload`.
    struct TeamInput: Codable, Sendable {
        var name: String?
        var description: String?
        var allowAutoAssign: Bool?

        enum CodingKeys: String, CodingKey {
            case name, description
            case allowAutoAssign = "allow_auto_assign"
        }
    }

    /// The team members payload.
    struct MembersInput: Codable, Sendable {
        var userIds: [Int]

        enum CodingKeys: String, CodingKey {
            case userIds = "user_ids"
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Teams")
            .get("/{account_id}/teams", "List all teams", returns: [ChatwootTeam].self, use: self.list)
            .post("/{account_id}/teams", "Create a team", body: TeamInput.self, returns: ChatwootTeam.self, use: self.create)
            .get("/{account_id}/teams/{team_id}", "Get a team details", returns: ChatwootTeam.self, use: self.get)
            .patch("/{account_id}/teams/{team_id}", "Update a team", body: TeamInput.self, returns: ChatwootTeam.self, use: self.update)
            .delete("/{account_id}/teams/{team_id}", "Delete a team", returns: EmptyBody.self, use: self.delete)
            .get("/{account_id}/teams/{team_id}/team_members", "List Agents in Team", returns: [ChatwootAgent].self, use: self.members)
            .post(
                "/{account_id}/teams/{team_id}/team_members", "Add a New Agent", body: MembersInput.self, returns: [ChatwootAgent].self,
                use: self.addMembers
            )
            .patch(
                "/{account_id}/teams/{team_id}/team_members", "Update Agents in Team", body: MembersInput.self, returns: [ChatwootAgent].self,
                use: self.replaceMembers
            )
            .raw(
                .delete, "/{account_id}/teams/{team_id}/team_members", "Remove an Agent from Team", body: MembersInput.self,
                responses: [200: "Removed", 401: "Unauthorized", 404: "Not found", 422: "Invalid user ids"], use: self.removeMembers)
    }

    /// The account's teams.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootTeam] {
        let caller = try await self.access.member(context)
        return try await self.teams.list(account: caller.accountID, viewer: caller.userID)
    }

    /// Creates a team (administrators).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: TeamInput) async throws -> ChatwootTeam {
        let caller = try await self.access.administrator(context)
        return try await self.teams.create(
            account: caller.accountID, name: input.name, description: input.description, allowAutoAssign: input.allowAutoAssign, viewer: caller.userID
        )
    }

    /// One team.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootTeam {
        let caller = try await self.access.member(context)
        return try await self.teams.get(try ChatwootAccess.id(context, "team_id"), account: caller.accountID, viewer: caller.userID)
    }

    /// Changes a team (administrators).
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: TeamInput) async throws -> ChatwootTeam {
        let caller = try await self.access.administrator(context)
        return try await self.teams.update(
            try ChatwootAccess.id(context, "team_id"), account: caller.accountID, name: input.name, description: input.description,
            allowAutoAssign: input.allowAutoAssign, viewer: caller.userID)
    }

    /// Deletes a team (administrators).
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.teams.delete(try ChatwootAccess.id(context, "team_id"), account: caller.accountID)
        return EmptyBody()
    }

    /// The team's members (any member of the account: Chatwoot's `TeamMemberPolicy#index?`).
    @Sendable func members(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootAgent] {
        let caller = try await self.access.member(context)
        return try await self.teams.members(try ChatwootAccess.id(context, "team_id"), account: caller.accountID)
    }

    /// Adds members; answers those added.
    @Sendable func addMembers(_ request: Request, context: AuthenticatedContext, input: MembersInput) async throws -> [ChatwootAgent] {
        let caller = try await self.access.administrator(context)
        return try await self.teams.add(try ChatwootAccess.id(context, "team_id"), account: caller.accountID, users: input.userIds)
    }

    /// Makes the members exactly those given.
    @Sendable func replaceMembers(_ request: Request, context: AuthenticatedContext, input: MembersInput) async throws -> [ChatwootAgent] {
        let caller = try await self.access.administrator(context)
        return try await self.teams.replace(try ChatwootAccess.id(context, "team_id"), account: caller.accountID, users: input.userIds)
    }

    /// Removes members.
    @Sendable func removeMembers(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.administrator(context)
        let team = try ChatwootAccess.id(context, "team_id")
        let input = try await request.decode(as: MembersInput.self, context: context)
        try await self.teams.remove(team, account: caller.accountID, users: input.userIds)
        return Response(status: .ok)
    }
}
