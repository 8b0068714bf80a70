/// A custom away status agents may set besides online, away and offline (seed 001, "Custom Away Status").
public struct LiveChatCustomAwayStatus: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String
    /// Whether agents can select it.
    public var isVisible: Bool?

    public init(id: Int? = nil, name: String, isVisible: Bool? = nil) {
        self.id = id
        self.name = name
        self.isVisible = isVisible
    }
}
