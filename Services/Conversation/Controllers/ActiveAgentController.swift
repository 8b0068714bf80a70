import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `GET /api/v3/anytime/conversations/{id}/agents` (seed 000 L413–L418; spec §3.1 #9, §5.8; decision 226): the agents
/// who have the conversation open in their active work area (`PUT {isActive}`), in the order they opened it, as
/// livechat-config knows them.
struct ActiveAgentController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.tagged("Conversations").get(
            "/conversations/{id}/agents", "The agents who have the conversation open, in the order they opened it", returns: AgentList.self,
            errors: [400: "Invalid parameter", 404: "Not found", 503: "livechat-config cannot be reached"], use: self.list)
    }

    /// A plain array of agent objects.
    struct AgentList: Codable, Sendable, ResponseEncodable {
        var agents: [JSONValue]

        init(agents: [JSONValue]) { self.agents = agents }
        init(from decoder: any Decoder) throws { self.agents = try decoder.singleValueContainer().decode([JSONValue].self) }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.agents)
        }
    }

    /// An agent livechat-config no longer knows is shown by its id alone.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> AgentList {
        let (site, id) = (context.site, try context.conversationId())
        let ids = try await self.store.read { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                throw ServiceError.notFound("Conversation")
            }
            return try await tx.activeAgents.agents(of: id)
        }
        guard !ids.isEmpty else { return AgentList(agents: []) }
        var people = ConversationDirectory.People()
        for agent in ids { people.want(agent: agent) }
        let found = try await self.store.directory.resolve(people, site: site)
        return AgentList(agents: ids.map { found.agents[$0] ?? .object(["id": .string($0)]) })
    }
}
