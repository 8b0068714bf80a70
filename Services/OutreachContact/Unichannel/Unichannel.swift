import Foundation
import Logging
import ServiceKit

/// The Outbound Unichannel, assembled once in `buildApplication`: its routes, its dispatcher (a service of the app)
/// and the demo channel accounts the configuration asks for.
struct Unichannel: Sendable {
    let database: Database
    let settings: UnichannelSettings
    let queue: OutboundQueue
    let changes: OutboundStatusChanges
    let dispatcher: OutboundDispatcher
    let outbox: Outbox
    let clock: WallClock
    /// Opens once migrations have run and the demo accounts are seeded, so the dispatcher starts on a ready schema.
    let gate = StartupGate()

    /// `observer` learns of every status change of a message queued for an outreach message (spec §5.4).
    init(foundation: ServiceFoundation, queue: OutboundQueue, observer: (any OutboundStatusObserver)?) {
        self.database = foundation.database
        self.settings = UnichannelSettings(reader: foundation.reader)
        for adjustment in self.settings.adjustments { foundation.logger.warning("Configuration adjusted: \(adjustment)") }
        self.queue = queue
        self.changes = OutboundStatusChanges(observer: observer, clock: foundation.clock)
        self.outbox = foundation.outbox
        self.clock = foundation.clock
        self.dispatcher = OutboundDispatcher(
            database: foundation.database, httpClient: foundation.httpClient, settings: self.settings, changes: self.changes,
            logger: foundation.logger, clock: foundation.clock, startGate: self.gate)
    }

    /// The Comm100 routes (credentials and permissions) and the carriers' public callbacks, all under `/outboundunichannel`.
    func addRoutes(to router: ServiceRouter<AppRequestContext>, document: OpenAPIDocument) {
        let api = router.endpoints(
            UnichannelRoutes.prefix, context: AuthenticatedContext.self, tag: "Outbound Unichannel", security: ["basicAuth", "bearerAuth"],
            errors: [401: "Unauthorized"], document: document)
        OutboundMessageController(database: self.database, queue: self.queue, outbox: self.outbox).addRoutes(to: api)
        ChannelAccountController(database: self.database, clock: self.clock).addRoutes(to: api)
        let carriers = router.endpoints(UnichannelRoutes.prefix, tag: "Carrier status callbacks", isExtension: true, document: document)
        CarrierCallbackController(database: self.database, settings: self.settings, changes: self.changes, clock: self.clock).addRoutes(to: carriers)
    }

    /// Seals the credentials stored before they were sealed (decision 239), seeds (or brings up to date) the demo
    /// channel accounts of the configuration in the bootstrap site, then lets the dispatcher start. Runs after the
    /// migrations, under the start-up lock.
    func bootstrap() async throws {
        let now = self.clock.milliseconds()
        let accounts = ChannelAccountStore()
        _ = try await self.database.transaction { tx in try await accounts.sealStoredCredentials(in: tx) }
        for demo in self.settings.demoAccounts {
            try await self.database.transaction { tx in
                let current = try await accounts.record(id: demo.id, in: tx)
                var record = ChannelAccountRecord(
                    id: demo.id, site: UnichannelSettings.demoSite, name: current?.name ?? demo.name, channel: "sms", carrier: demo.carrier,
                    from: demo.from, credentials: demo.credentials, callbackSecret: current?.callbackSecret ?? UnichannelRules.newSecret(),
                    createTime: current?.createTime ?? now, lastUpdatedTime: current?.lastUpdatedTime ?? now)
                if current == nil {
                    try await accounts.insert(record, in: tx)
                } else if current != record {
                    record.lastUpdatedTime = now
                    try await accounts.update(record, in: tx)
                }
            }
        }
        self.gate.open()
    }
}
