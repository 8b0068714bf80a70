/// An uploaded file (seed 000 L697–L703): triggers and portal replies refer to it by `id`; `url` downloads it while it
/// is available.
public struct AnytimeAttachment: Codable, Sendable, Equatable {
    public var id: String
    public var fileName: String
    public var url: String
    public var isAvailable: Bool

    public init(id: String, fileName: String, url: String, isAvailable: Bool) {
        self.id = id
        self.fileName = fileName
        self.url = url
        self.isAvailable = isAvailable
    }
}

/// `PUT /attachments/{guid}` (L715–L720).
public struct AnytimeAttachmentUpdate: Codable, Sendable, Equatable {
    public var isAvailable: Bool?

    public init(isAvailable: Bool?) { self.isAvailable = isAvailable }
}
