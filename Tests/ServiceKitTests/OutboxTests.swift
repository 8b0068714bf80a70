import AsyncHTTPClient
import Atomics
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import TestSupport
import Testing

@testable import ServiceKit

@Suite("Outbox and webhook delivery")
struct OutboxTests {
    static func settings(schedule: [Double] = [0, 0, 0], lease: Double = 60) -> WebhookSettings {
        var settings = WebhookSettings(reader: TestConfiguration.reader())
        settings.retrySchedule = schedule
        settings.leaseSeconds = lease
        settings.timeout = 2
        settings.allowPrivateNetworks = true
        return settings
    }

    static func message(_ url: String) -> OutboxMessage {
        OutboxMessage(
            tenant: "10000", eventType: "chatStarted", targetURL: url, payload: Data(#"{"event":"chatStarted"}"#.utf8),
            secret: "whsec_c2VjcmV0LWtleQ==")
    }

    static func event(_ id: String, in database: Database) async throws -> OutboxEvent? {
        try await database.read { tx in try await Outbox().event(id: id, on: tx.sql) }
    }

    static func attempts(_ eventID: String, in database: Database) async throws -> [DeliveryAttempt] {
        try await database.read { tx in try await Outbox().attempts(eventID: eventID, on: tx.sql) }
    }

    /// Runs delivery rounds until `done` holds or two seconds pass.
    static func deliverUntil(_ deliverer: WebhookDeliverer, _ done: () -> Bool) async throws {
        for _ in 0..<100 where !done() {
            try await deliverer.deliverDue()
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("An event from a rolled-back transaction is never sent")
    func rolledBackEventIsNeverSent() async throws {
        try await withTestDatabase { database in
            let receiver = WebhookReceiver()
            try await receiver.run { url in
                struct Abort: Error {}
                _ = try? await database.transaction { tx in
                    try await tx.outbox.enqueue(Self.message(url))
                    throw Abort()
                }
                let deliverer = WebhookDeliverer(database: database, httpClient: .shared, settings: Self.settings(), logger: TestConfiguration.logger)
                let attempted = try await deliverer.deliverDue()
                #expect(attempted == 0)
            }
            #expect(receiver.received.isEmpty)
        }
    }

    @Test("A receiver answering 500 then 200 gets the event twice with the same webhook-id, signed")
    func retriesWithSameID() async throws {
        try await withTestDatabase { database in
            let receiver = WebhookReceiver(answers: [.internalServerError, .ok])
            try await receiver.run { url in
                let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message(url)) }
                let deliverer = WebhookDeliverer(database: database, httpClient: .shared, settings: Self.settings(), logger: TestConfiguration.logger)
                try await Self.deliverUntil(deliverer) { receiver.received.count >= 2 }
                let stored = try await Self.event(eventID, in: database)
                let event = try #require(stored)
                #expect(event.status == "delivered")
                let attempts = try await Self.attempts(eventID, in: database)
                #expect(attempts.map(\.statusCode) == [500, 200])
            }
            let deliveries = receiver.received
            #expect(deliveries.count == 2)
            let ids = deliveries.map { $0.headers[HTTPField.Name("webhook-id")!] }
            #expect(ids[0] != nil && ids[0] == ids[1])
            for delivery in deliveries {
                let timestamp = try #require(delivery.headers[HTTPField.Name("webhook-timestamp")!].flatMap(Int64.init))
                let signature = try #require(delivery.headers[HTTPField.Name("webhook-signature")!])
                #expect(
                    WebhookSignature.verify(
                        header: signature, id: ids[0]!, timestamp: timestamp, body: Data(delivery.body.utf8), secret: "whsec_c2VjcmV0LWtleQ=="))
            }
        }
    }

    @Test("A worker killed mid-delivery leaves the event to be delivered after restart")
    func killedWorkerDeliversAfterRestart() async throws {
        try await withTestDatabase { database in
            let receiver = WebhookReceiver(hangFirst: 1)
            try await receiver.run { url in
                let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message(url)) }
                let settings = Self.settings(lease: 0.5)
                // The first worker claims the event and dies while the receiver is still holding the request.
                let first = Task {
                    try await WebhookDeliverer(database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
                        .deliverDue()
                }
                for _ in 0..<100 where receiver.received.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                first.cancel()
                #expect(receiver.received.count == 1)
                // A new worker (the restarted process) takes it over once the lease has run out.
                try await Task.sleep(for: .milliseconds(600))
                let second = WebhookDeliverer(database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
                try await Self.deliverUntil(second) { receiver.received.count >= 2 }
                let status = try await Self.event(eventID, in: database)?.status
                #expect(status == "delivered")
            }
            #expect(receiver.received.count == 2)
        }
    }

    /// Configuration naming one store that two `Database` handles can open, as two processes would: a fresh
    /// PostgreSQL schema, or a SQLite file in a temporary folder.
    static func sharedStore() -> [AbsoluteConfigKey: ConfigValue] {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        if TestConfiguration.databaseURL.hasPrefix("postgres") {
            return ["db.schema": .init(.string(name), isSecret: false)]
        }
        return ["db.url": .init(.string("sqlite:\(FileManager.default.temporaryDirectory.path)/\(name).sqlite"), isSecret: false)]
    }

    /// Deletes a SQLite store's files (a PostgreSQL schema is left, as every test's is).
    static func removeStore(_ store: [AbsoluteConfigKey: ConfigValue]) {
        guard case .string(let url) = store["db.url"]?.content else { return }
        let path = String(url.dropFirst("sqlite:".count))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func openDatabase(_ store: [AbsoluteConfigKey: ConfigValue]) throws -> Database {
        try Database(
            settings: ServiceSettings(reader: TestConfiguration.reader(store), name: "test", defaultPort: 0), logger: TestConfiguration.logger)
    }

    @Test("A worker that dies mid-delivery leaves its attempt recorded without an outcome; the next worker's attempt is the second")
    func diedWorkerAttemptStaysRecorded() async throws {
        let store = Self.sharedStore()
        defer { Self.removeStore(store) }
        let database = try Self.openDatabase(store)
        let receiver = WebhookReceiver(hangFirst: 1)
        try await database.withRunning {
            try await database.migrate(ServiceKitMigrations.all, logger: TestConfiguration.logger)
            try await receiver.run { url in
                let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message(url)) }
                let settings = Self.settings(lease: 0.5)
                // The first instance has its own connections; it sends the event and loses them (it is killed) while
                // the receiver still holds the request, so it never records the outcome.
                let doomed = try Self.openDatabase(store)
                let doomedRunning = Task { try await doomed.run() }
                let first = Task {
                    try await WebhookDeliverer(database: doomed, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
                        .deliverDue()
                }
                // Up to 10 s: beside the other suites a loaded machine may take seconds to make the first attempt.
                for _ in 0..<500 where receiver.received.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                try await doomed.shutdown()
                first.cancel()
                _ = try? await first.value
                _ = try? await doomedRunning.value
                #expect(receiver.received.count == 1)
                let open = try await Self.attempts(eventID, in: database)
                #expect(open.count == 1 && open.first?.finishedAt == nil && open.first?.statusCode == nil)

                // Once the lease has run out the survivor delivers it again: two attempts recorded, two received.
                try await Task.sleep(for: .milliseconds(600))
                let second = WebhookDeliverer(database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
                try await Self.deliverUntil(second) { receiver.received.count >= 2 }
                for _ in 0..<50 {
                    if try await Self.event(eventID, in: database)?.status == "delivered" { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let event = try #require(try await Self.event(eventID, in: database))
                #expect(event.status == "delivered" && event.attemptCount == 2)
                let attempts = try await Self.attempts(eventID, in: database)
                #expect(attempts.map(\.attempt) == [1, 2])
                #expect(attempts.map(\.abandoned) == [true, false])
                #expect(attempts.map(\.statusCode) == [nil, 200])
                #expect(attempts[1].finishedAt != nil)
                let report = WebhookDeliveryReport(event, attempts: attempts)
                #expect(report.attempts?.first?.error == WebhookDeliveryReport.abandonedError)
                #expect(report.attempts?.first?.finishedTime == nil)
            }
            #expect(receiver.received.count == 2)
        }
    }

    @Test("An attempt is recorded before its request goes out and shows as under way, not abandoned, until it ends")
    func attemptRecordedBeforeRequest() async throws {
        try await withTestDatabase { database in
            let receiver = WebhookReceiver(hangFirst: 1)
            try await receiver.run { url in
                let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message(url)) }
                var settings = Self.settings()
                // Well over the 3 s the receiver holds the request: beside other suites on two busy cores 5 s was too little.
                settings.timeout = 15
                let deliverer = WebhookDeliverer(database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
                async let round = deliverer.deliverDue()
                for _ in 0..<100 where receiver.received.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                let during = try await Self.attempts(eventID, in: database)
                #expect(during.count == 1 && during.first?.finishedAt == nil && during.first?.abandoned == false)
                _ = try await round
                let after = try await Self.attempts(eventID, in: database)
                #expect(after.count == 1 && after.first?.statusCode == 200 && after.first?.finishedAt != nil)
            }
        }
    }

    @Test("Attempts recorded before attempts had a finish time stay valid: finished at their start plus their duration")
    func oldAttemptsStayValid() async throws {
        let store = Self.sharedStore()
        defer { Self.removeStore(store) }
        let database = try Self.openDatabase(store)
        try await database.withRunning {
            // The schema as it was before migration 004, with an attempt as it was stored then.
            try await database.migrate(Array(ServiceKitMigrations.all.prefix(3)), logger: TestConfiguration.logger)
            try await database.transaction { tx in
                try await tx.sql.insert(into: "outbox_events")
                    .columns(
                        "event_id", "tenant", "event_type", "target_url", "payload", "headers", "status", "attempt_count", "due_at", "created_at",
                        "delivered_at"
                    )
                    .values("msg_old", "10000", "chatStarted", "http://example.com/hook", "{}", "{}", "delivered", 1, 1000, 1000, 1250)
                    .run()
                try await tx.sql.insert(into: "outbox_attempts").columns("event_id", "attempt", "started_at", "duration_ms", "status_code")
                    .values("msg_old", 1, 1000, 250, 200)
                    .run()
            }
            try await database.migrate(ServiceKitMigrations.all, logger: TestConfiguration.logger)
            let attempts = try await Self.attempts("msg_old", in: database)
            #expect(attempts.map(\.finishedAt) == [1250])
            #expect(attempts.map(\.abandoned) == [false])
        }
    }

    @Test("Two workers polling at once deliver each event once")
    func concurrentWorkersDeliverOnce() async throws {
        try await withTestDatabase { database in
            let receiver = WebhookReceiver()
            try await receiver.run { url in
                for _ in 0..<10 {
                    _ = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message(url)) }
                }
                let first = WebhookDeliverer(database: database, httpClient: .shared, settings: Self.settings(), logger: TestConfiguration.logger)
                let second = WebhookDeliverer(database: database, httpClient: .shared, settings: Self.settings(), logger: TestConfiguration.logger)
                async let a = first.deliverDue()
                async let b = second.deliverDue()
                let claimed = try await a + b
                #expect(claimed == 10)
            }
            let ids = receiver.received.compactMap { $0.headers[HTTPField.Name("webhook-id")!] }
            #expect(ids.count == 10)
            #expect(Set(ids).count == 10)
        }
    }

    @Test("A target on a private network is refused and recorded, unless allowed")
    func privateTargetRefused() async throws {
        try await withTestDatabase { database in
            let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message("http://127.0.0.1:9/hook")) }
            var settings = Self.settings()
            settings.allowPrivateNetworks = false
            let deliverer = WebhookDeliverer(database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger)
            try await deliverer.deliverDue()
            let stored = try await Self.event(eventID, in: database)
            let event = try #require(stored)
            #expect(event.status == "failed")
            #expect(event.lastError?.contains("private or loopback") == true)
            let attemptCount = try await Self.attempts(eventID, in: database).count
            #expect(attemptCount == 1)
        }
    }

    /// A resolver standing for a DNS server that rebinds: the first lookup of a name answers `first`, every later
    /// one `later`. It counts its lookups.
    final class RebindingResolver: Sendable {
        let first: [SocketAddress]
        let later: [SocketAddress]
        let lookups = ManagedAtomic(0)

        init(first: [SocketAddress], later: [SocketAddress]) {
            self.first = first
            self.later = later
        }

        func resolve(_ host: String, _ port: Int) async throws -> [SocketAddress] {
            self.lookups.wrappingIncrementThenLoad(ordering: .relaxed) == 1 ? self.first : self.later
        }
    }

    /// Runs a receiver on 127.0.0.1 that records the authority (`Host`) of every request it gets.
    static func withHostRecorder(_ body: @Sendable (_ port: Int, _ hosts: @Sendable () -> [String]) async throws -> Void) async throws {
        let hosts = NIOLockedValueBox<[String]>([])
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            hosts.withLockedValue { $0.append(request.head.authority ?? "") }
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(client.port!) { hosts.withLockedValue { $0 } }
        }
    }

    @Test("A delivery to a host name goes to the address that was vetted, with the name in Host, whatever a later lookup says")
    func deliveryConnectsToTheVettedAddress() async throws {
        try await withTestDatabase { database in
            try await Self.withHostRecorder { port, hosts in
                // The name exists only in this resolver: if anything looked it up again (or asked the system), the
                // bytes could not reach the receiver.
                let resolver = RebindingResolver(
                    first: [try SocketAddress(ipAddress: "127.0.0.1", port: port)], later: [try SocketAddress(ipAddress: "192.0.2.1", port: port)])
                let eventID = try await database.transaction { tx in
                    try await tx.outbox.enqueue(Self.message("http://receiver.test:\(port)/hook"))
                }
                let deliverer = WebhookDeliverer(
                    database: database, httpClient: .shared, settings: Self.settings(), logger: TestConfiguration.logger,
                    targetGuard: TargetGuard(allowPrivateNetworks: true, resolver: resolver.resolve)
                )
                try await deliverer.deliverDue()
                #expect(hosts() == ["receiver.test:\(port)"])
                #expect(resolver.lookups.load(ordering: .relaxed) == 1)
                let event = try #require(try await Self.event(eventID, in: database))
                #expect(event.status == "delivered")
            }
        }
    }

    @Test("A name resolving to a blocked address is refused: nothing is sent, and the event fails at once")
    func nameResolvingToBlockedAddressIsRefused() async throws {
        try await withTestDatabase { database in
            try await Self.withHostRecorder { port, hosts in
                // One public address does not excuse a private one beside it.
                let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: port)
                let resolver = RebindingResolver(first: [try SocketAddress(ipAddress: "93.184.216.34", port: port), loopback], later: [loopback])
                let eventID = try await database.transaction { tx in
                    try await tx.outbox.enqueue(Self.message("http://receiver.test:\(port)/hook"))
                }
                var settings = Self.settings()
                settings.allowPrivateNetworks = false
                let deliverer = WebhookDeliverer(
                    database: database, httpClient: .shared, settings: settings, logger: TestConfiguration.logger,
                    targetGuard: TargetGuard(allowPrivateNetworks: false, resolver: resolver.resolve)
                )
                try await deliverer.deliverDue()
                #expect(hosts().isEmpty)
                let event = try #require(try await Self.event(eventID, in: database))
                #expect(event.status == "failed")
                #expect(event.lastError?.contains("private or loopback") == true)
            }
        }
    }

    @Test("A name that does not resolve now is retried on the schedule, not given up")
    func unresolvedNameIsRetried() async throws {
        try await withTestDatabase { database in
            struct NoAnswer: Error {}
            let eventID = try await database.transaction { tx in try await tx.outbox.enqueue(Self.message("https://receiver.test/hook")) }
            let deliverer = WebhookDeliverer(
                database: database, httpClient: .shared, settings: Self.settings(schedule: [0, 60]), logger: TestConfiguration.logger,
                targetGuard: TargetGuard(allowPrivateNetworks: false, resolver: { _, _ in throw NoAnswer() })
            )
            try await deliverer.deliverDue()
            let event = try #require(try await Self.event(eventID, in: database))
            #expect(event.status == "pending" && event.attemptCount == 1)
            #expect(event.lastError == "cannot resolve receiver.test")
        }
    }

    @Test("Each attempt's client connects a name to the vetted address and follows no redirect")
    func pinnedClientConfiguration() {
        let named = VettedTarget(
            url: "https://hooks.example/in", host: "hooks.example", isLiteral: false, addresses: ["93.184.216.34", "2606:2800::1"])
        let configuration = WebhookDeliverer.clientConfiguration(pinning: named, to: named.address(forAttempt: 2), timeout: .seconds(1))
        #expect(configuration.dnsOverride == ["hooks.example": "2606:2800::1"])
        #expect(configuration.connectionPool.retryConnectionEstablishment == false)
        let literal = VettedTarget(url: "http://93.184.216.34/in", host: "93.184.216.34", isLiteral: true, addresses: ["93.184.216.34"])
        #expect(WebhookDeliverer.clientConfiguration(pinning: literal, to: "93.184.216.34", timeout: .seconds(1)).dnsOverride.isEmpty)
    }

    @Test("Retry-After from the receiver postpones the next attempt")
    func retryAfterHonoured() async throws {
        try await withTestDatabase { database in
            let deliverer = WebhookDeliverer(
                database: database, httpClient: .shared, settings: Self.settings(schedule: [0, 5, 300]), logger: TestConfiguration.logger)
            #expect(deliverer.nextDelay(afterAttempt: 1, outcome: .init(statusCode: 503, retryAfter: 120)) == 120)
            #expect(deliverer.nextDelay(afterAttempt: 1, outcome: .init(statusCode: 503, retryAfter: nil)) == 5)
            #expect(deliverer.nextDelay(afterAttempt: 3, outcome: .init(statusCode: 503)) == nil)
            #expect(WebhookDeliverer.parseRetryAfter("30") == 30)
        }
    }
}
