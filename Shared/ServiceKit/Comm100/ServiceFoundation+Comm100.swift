import HTTPTypes
import Hummingbird

extension ServiceFoundation {
    /// The router of a Comm100 service whose agents live in livechat-config: Comm100 errors, Basic or bearer
    /// credentials verified there (cached briefly), and livechat-config in `/readyz`.
    public func comm100Router() -> ServiceRouter<AppRequestContext> {
        let liveChat = self.peer("livechat-config", url: self.peers.liveChatConfigURL)
        let router = self.router(dialect: Comm100ErrorDialect(), readiness: [liveChat.readinessCheck])
        router.add(
            middleware: Comm100Authentication.middleware(
                verifier: CachingVerifier(RemoteComm100Verifier(liveChat: LiveChatConfigClient(client: liveChat)))))
        return router
    }
}

/// Live Chat visitors carry no credential but the chat token livechat-config gave them (decision 62): on every
/// Comm100 router (`router(dialect: Comm100ErrorDialect())` and ``ServiceFoundation/comm100Router()``) their
/// idempotency keys are scoped by it.
extension Comm100ErrorDialect: IdempotencyScoping {
    static let visitorToken = HTTPField.Name("X-Visitor-Token")!

    public var idempotencyCredentials: [HTTPField.Name] { [Self.visitorToken] }
}
