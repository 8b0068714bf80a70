/// A Live Chat site, Comm100's tenant: what settings, objects and chats belong to. Agents' routes take it from the
/// signed-in identity, visitors' from their request.
struct Site: Sendable, Hashable {
    let id: String
}
