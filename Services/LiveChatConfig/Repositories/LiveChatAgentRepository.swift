import WireModels

/// An agent as live chat sees it: identity, state and allocation settings.
struct LiveChatAgentRecord: Sendable, Equatable {
    var id: Int
    var email: String
    var displayName: String
    var isActive: Bool
    var status: String
    var maxChatsCount: Int
    var isAcceptAllocation: Bool
    var departments: [Int]
    /// Chats the agent is in now.
    var ongoingChats: Int

    var wire: LiveChatAgent {
        LiveChatAgent(
            id: self.id, status: self.status, ongoingChats: self.ongoingChats, departments: self.departments, maxChatsCount: self.maxChatsCount,
            isAcceptAllocation: self.isAcceptAllocation)
    }
}

/// Agents' live chat settings and department membership. Membership is one relation, read from both sides
/// (Department `agents`, Agent `departments`).
protocol LiveChatAgentRepository: Sendable {
    func agent(id: Int, siteId: String) async throws -> LiveChatAgentRecord?
    func agents(siteId: String) async throws -> [LiveChatAgentRecord]
    /// Writes status, maximum chats, allocation flag and departments.
    func update(_ agent: LiveChatAgentRecord, siteId: String) async throws
    /// Changes what the administration extension manages; nil members stay as they are.
    func updateAdministration(_ change: AgentAdministrationChange, id: Int, siteId: String) async throws
    func members(departmentId: Int, siteId: String) async throws -> [Int]
    func setMembers(_ agentIds: [Int], departmentId: Int, siteId: String) async throws
    /// Agents in a status that no longer exists go back to `away`.
    func resetStatus(_ status: String, siteId: String) async throws
}

/// The administration extension's changes to an agent (secrets are stored hashed).
struct AgentAdministrationChange: Decodable, Sendable {
    var displayName: String?
    var isAdministrator: Bool?
    var permissions: [String]?
    var isActive: Bool?
    var apiKey: String?
    var password: String?
    /// Live chat settings, as `PUT /agents/{id}` takes them.
    var status: String?
    var maxChatsCount: Int?
    var isAcceptAllocation: Bool?
    var departments: [Int]?
}
