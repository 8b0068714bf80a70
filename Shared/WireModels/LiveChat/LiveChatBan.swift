/// A Live Chat ban (seed 001, "Ban"): a visitor by id, or visitors from an IP address, CIDR block or dash range.
public struct LiveChatBan: Codable, Sendable, Equatable {
    /// `visitor` or `ip` (case-insensitive on input; written as documented).
    public var type: String
    public var id: Int?
    public var visitorId: String?
    /// `192.168.8.113`, `192.168.8.0/24` or `192.168.8.0-192.168.8.255` (IPv6 accepted too).
    public var ipAddress: String?
    public var comment: String?

    public init(id: Int? = nil, type: String, visitorId: String? = nil, ipAddress: String? = nil, comment: String? = nil) {
        self.id = id
        self.type = type
        self.visitorId = visitorId
        self.ipAddress = ipAddress
        self.comment = comment
    }
}
