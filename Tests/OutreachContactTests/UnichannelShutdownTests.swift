import AsyncHTTPClient
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle
import TestSupport
import Testing

@testable import OutreachContact

/// The dispatcher under a graceful shutdown (decision 216).
@Suite("Outbound Unichannel: graceful shutdown")
struct UnichannelShutdownTests {
    @Test("A graceful shutdown during a slow send lets it finish and be recorded, and claims nothing more (a2)")
    func shutdownFinishesTheBatch() async throws {
        let started = NIOLockedValueBox(0)
        let router = Router()
        // A Twilio that takes 600 ms to accept.
        router.post("/2010-04-01/Accounts/{sid}/Messages.json") { _, _ -> Response in
            started.withLockedValue { $0 += 1 }
            try await Task.sleep(for: .milliseconds(600))
            return Response(
                status: .created, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: .init(string: #"{"sid": "SMslow", "status": "queued"}"#)))
        }
        let carrier = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await carrier.test(.live) { client in
            try await withTestDatabase(migrations: OutreachMigrations.all) { database in
                let ids = try await UnichannelReviewTests.twoMessages(database)
                let reader = ConfigReader(
                    provider: InMemoryProvider(values: [
                        "carriers.twilio.url": .init(.string("http://127.0.0.1:\(client.port!)"), isSecret: false),
                        "carriers.callbackBaseURL": .init(.string(UnichannelDispatchTests.nowhere), isSecret: false),
                        "unichannel.concurrency": 1, "unichannel.pollInterval": 0.02,
                    ]))
                let gate = StartupGate()
                gate.open()
                let dispatcher = OutboundDispatcher(
                    database: database, httpClient: HTTPClient.shared, settings: UnichannelSettings(reader: reader),
                    changes: OutboundStatusChanges(observer: nil, clock: .system), logger: TestConfiguration.logger, clock: .system, startGate: gate)
                let group = ServiceGroup(configuration: .init(services: [dispatcher], logger: TestConfiguration.logger))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    // Shut down while the first (one-message) batch is at the carrier.
                    while started.withLockedValue({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                #expect(started.withLockedValue { $0 } == 1)
                let rows = try await [UnichannelReviewTests.row(ids[0], database), UnichannelReviewTests.row(ids[1], database)].compactMap { $0 }
                let sent = rows.filter { $0.status == "sending" }
                #expect(sent.count == 1)
                #expect(sent.first?.originMessageId == "SMslow")
                #expect(sent.first?.leaseOwner == nil)
                // The other was never claimed.
                #expect(rows.filter { $0.status == "queued" && $0.claimCount == 0 }.count == 1)
            }
        }
    }
}
