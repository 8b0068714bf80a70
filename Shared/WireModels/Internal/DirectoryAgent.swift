/// `GET /internal/sites/{siteId}/agents` on livechat-config: an agent as other Comm100 services see it (who it is for
/// `include=`, and its status, departments and load for routing and allocation).
public struct DirectoryAgent: Codable, Sendable, Equatable {
    public var id: Int
    public var email: String
    public var displayName: String
    public var isActive: Bool
    /// `online`, `away`, `offline` or a custom away status's name.
    public var status: String
    public var departments: [Int]
    /// The chats the agent is in now.
    public var ongoingChats: Int
    public var maxChatsCount: Int
    public var isAcceptAllocation: Bool

    public init(
        id: Int, email: String, displayName: String, isActive: Bool, status: String, departments: [Int], ongoingChats: Int, maxChatsCount: Int,
        isAcceptAllocation: Bool
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.isActive = isActive
        self.status = status
        self.departments = departments
        self.ongoingChats = ongoingChats
        self.maxChatsCount = maxChatsCount
        self.isAcceptAllocation = isAcceptAllocation
    }
}
