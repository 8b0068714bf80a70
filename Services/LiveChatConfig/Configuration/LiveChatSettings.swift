import Configuration

/// livechat-config's own settings.
struct LiveChatSettings: Sendable {
    /// The address visitors reach Switchboard at; installation codes and page links are built on it.
    var publicURL: String

    /// Reads:
    /// - `livechat.publicURL` (string, default `http://localhost:8080`): the gateway's public address.
    init(reader: ConfigReader) {
        self.publicURL = reader.string(forKey: "livechat.publicURL", default: "http://localhost:8080")
    }
}
