import AsyncHTTPClient
import Atomics
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceKit
import Synchronization
import TestSupport
import Testing

@testable import Gateway

#if canImport(Glibc)
import Glibc
private let sendSignal = Glibc.kill
#elseif canImport(Darwin)
import Darwin
private let sendSignal = Darwin.kill
#endif

/// Several livechat-config processes on one PostgreSQL schema behind the real gateway, as a deployment that has
/// outgrown one machine runs them: started together, one killed with SIGKILL under load and started again.
@Suite(
    "Two instances on one PostgreSQL",
    .serialized,
    .enabled(if: TestConfiguration.databaseURL.hasPrefix("postgres"), "needs PostgreSQL (TEST_DB_URL): instances share a database only there")
)
struct TwoInstanceTests {
    @Test("Four instances started together on an empty schema all become ready, with one administrator")
    func startTogether() async throws {
        let fleet = try Fleet(schema: Fleet.freshSchema())
        defer { fleet.killAll() }
        let ports = try (0..<4).map { _ in try TestConfiguration.closedPort() }
        for port in ports { try fleet.start(port: port) }
        for port in ports {
            let ready = await fleet.waitReady(port: port, within: .seconds(60))
            #expect(ready, "instance on \(port) not ready: \(fleet.log(port: port))")
        }
        #expect(ports.allSatisfy { fleet.isRunning(port: $0) })
        // The administrator was seeded once: agent 1 exists, there is no agent 2.
        #expect(try await Self.send(.GET, "http://127.0.0.1:\(ports[0])/api/v1/livechat/agents/1").status == 200)
        #expect(try await Self.send(.GET, "http://127.0.0.1:\(ports[3])/api/v1/livechat/agents/2").status == 404)
    }

    @Test("Started together, loaded through the gateway, one killed and restarted: no event lost, every attempt recorded, traffic back")
    func killAndRestart() async throws {
        let fleet = try Fleet(schema: Fleet.freshSchema())
        defer { fleet.killAll() }
        let first = try TestConfiguration.closedPort()
        let second = try TestConfiguration.closedPort()
        // Both at the same moment on an empty schema: they race for the migrations and the administrator's seed.
        try fleet.start(port: first)
        try fleet.start(port: second)
        for port in [first, second] {
            let ready = await fleet.waitReady(port: port, within: .seconds(60))
            try #require(ready, "instance on \(port) not ready: \(fleet.log(port: port))")
        }

        let receiver = SlowReceiver(delay: .milliseconds(40))
        try await receiver.run { hook in
            let gatewayConfig: [AbsoluteConfigKey: ConfigValue] = [
                "upstream.livechatConfig.urls": .init(.stringArray(["http://127.0.0.1:\(first)", "http://127.0.0.1:\(second)"]), isSecret: false),
                "gateway.healthInterval": 0.2,
                "gateway.connectTimeout": 0.5,
                "gateway.timeout": 5.0,
                "breaker.failureThreshold": 2,
                "breaker.openSeconds": 0.5,
                "rateLimit.requestsPerSecond": 100_000.0,
                "rateLimit.burst": 100_000.0,
            ]
            try await Gateway.buildApplication(reader: TestConfiguration.reader(gatewayConfig)).test(.live) { client in
                let gateway = "http://127.0.0.1:\(client.port!)"
                // The administrator takes every chat, so each start raises chatStarted to the receiver.
                #expect(
                    try await Self.send(.PUT, gateway + "/api/v1/livechat/agents/1", #"{"status": "online", "maxChatsCount": 100000}"#).status == 200)
                let campaign = try await Self.send(.POST, gateway + "/api/v1/livechat/campaigns", #"{"name": "Failover", "language": "English"}"#)
                let campaignID = try #require(campaign.object["id"] as? Int, "campaign: \(campaign.status) \(campaign.text)")
                #expect(
                    try await Self.send(.POST, gateway + "/api/v1/livechat/webhooks", #"{"event": "chatStarted", "targetUrl": "\#(hook)"}"#).status
                        == 200)

                // Load, and SIGKILL the first instance halfway through.
                let killedAt = Locked<ContinuousClock.Instant?>(nil)
                let before = try await Self.load(gateway: gateway, campaign: campaignID, label: "a", chats: 120) {
                    fleet.kill(port: first)
                    killedAt.set(.now)
                }
                let kill = try #require(killedAt.get())
                let getsAfterKill = before.gets.filter { $0.sent >= kill }
                #expect(!getsAfterKill.isEmpty)
                #expect(
                    getsAfterKill.allSatisfy { $0.status == 200 },
                    "GETs failed after the kill: \(getsAfterKill.filter { $0.status != 200 }.map(\.status))")
                let slowest = getsAfterKill.map(\.duration).max() ?? .zero
                print("two-instance: killed at chat 60 of 120; \(before.chats.count) started, POSTs failed with \(before.postFailures)")
                print(
                    "two-instance: \(getsAfterKill.filter { $0.status == 200 }.count) of \(getsAfterKill.count) GETs after the kill answered 200; slowest \(slowest)"
                )

                // Started again on the same port and schema, it must get requests from the gateway again.
                let restarted = ContinuousClock.now
                try fleet.start(port: first)
                let ready = await fleet.waitReady(port: first, within: .seconds(60))
                try #require(ready, "restarted instance not ready: \(fleet.log(port: first))")
                let after = try await Self.load(gateway: gateway, campaign: campaignID, label: "b", chats: 80) {}
                var served = try await Self.servedRequests(port: first)
                for _ in 0..<25 where served == 0 {
                    _ = try await Self.send(.GET, gateway + "/api/v1/livechat/campaigns")
                    try await Task.sleep(for: .milliseconds(200))
                    served = try await Self.servedRequests(port: first)
                }
                print("two-instance: restarted instance served \(served) API requests within \(ContinuousClock.now - restarted) of its restart")
                #expect(served > 0, "the restarted instance got no traffic through the gateway")
                #expect(after.gets.allSatisfy { $0.status == 200 })

                // Every event is delivered at least once, and has at least as many attempts recorded as were received.
                let drained = ContinuousClock.now
                var events: [[String: Any]] = []
                // Up to 4 minutes: the retries of the attempts the kill cut off back off, and a loaded full run needed 3.
                let patience = ContinuousClock.now + .seconds(240)
                while ContinuousClock.now < patience {
                    events = try await Self.send(.GET, gateway + "/api/v1/livechat/webhookDeliveries?limit=500").json as? [[String: Any]] ?? []
                    if !events.isEmpty, events.allSatisfy({ $0["status"] as? String == "delivered" }) { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                print("two-instance: \(events.count) events, all delivered \(ContinuousClock.now - drained) after the load")
                #expect(
                    events.allSatisfy { $0["status"] as? String == "delivered" },
                    "undelivered: \(events.filter { $0["status"] as? String != "delivered" })")
                let received = receiver.countsByID()
                let stored = Set(events.compactMap { $0["id"] as? String })
                #expect(Set(received.keys) == stored, "received events the outbox does not hold, or the reverse")
                let startedChats = Set(before.chats + after.chats)
                #expect(
                    startedChats.isSubset(of: receiver.chatIDs()),
                    "chats whose chatStarted never arrived: \(startedChats.subtracting(receiver.chatIDs()).sorted())")
                // Each event's recorded attempts (and those left without outcome), read eight at a time.
                let recorded = try await withThrowingTaskGroup(of: (id: String, attempts: Int, abandoned: Int).self) { group in
                    var recorded: [String: (attempts: Int, abandoned: Int)] = [:]
                    for (index, id) in stored.enumerated() {
                        if index >= 8, let done = try await group.next() { recorded[done.id] = (done.attempts, done.abandoned) }
                        group.addTask {
                            let attempts =
                                try await Self.send(.GET, gateway + "/api/v1/livechat/webhookDeliveries/\(id)").object["attempts"] as? [[String: Any]]
                                ?? []
                            return (id, attempts.count, attempts.filter { $0["error"] as? String == WebhookDeliveryReport.abandonedError }.count)
                        }
                    }
                    for try await done in group { recorded[done.id] = (done.attempts, done.abandoned) }
                    return recorded
                }
                for id in stored {
                    let attempts = recorded[id]?.attempts ?? 0
                    #expect(attempts >= received[id] ?? 0, "event \(id): \(attempts) attempts recorded, \(received[id] ?? 0) received")
                }
                let redelivered = received.values.filter { $0 > 1 }.count
                let abandoned = recorded.values.map(\.abandoned).reduce(0, +)
                print("two-instance: \(redelivered) events received twice or more, \(abandoned) attempts left without outcome by the kill")
            }
        }
    }

    // MARK: - Load

    /// One request of the load and how it went.
    struct Sample: Sendable {
        var sent: ContinuousClock.Instant
        var duration: Duration
        var status: Int
    }

    /// What one phase of load did.
    struct LoadResult: Sendable {
        /// Chats that started (a 200 with an agent): each must raise one chatStarted.
        var chats: [Int] = []
        var postFailures: [Int] = []
        var gets: [Sample] = []
    }

    /// Starts `chats` visitor chats through the gateway from four workers, each chat followed by a read of the
    /// campaign list; `halfway` runs once half of the chats have been sent.
    static func load(gateway: String, campaign: Int, label: String, chats: Int, halfway: @escaping @Sendable () -> Void) async throws -> LoadResult {
        let sent = ManagedAtomic<Int>(0)
        let workers = 4
        return try await withThrowingTaskGroup(of: LoadResult.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var result = LoadResult()
                    for index in 0..<(chats / workers) {
                        if sent.wrappingIncrementThenLoad(ordering: .relaxed) == chats / 2 { halfway() }
                        let body =
                            #"{"siteId": "10000", "campaignId": \#(campaign), "visitorId": "\#(label)-\#(worker)-\#(index)", "name": "Visitor"}"#
                        let start = try await Self.send(.POST, gateway + "/api/v1/livechat/visitor/chats", body, authorized: false)
                        if start.status == 200, start.object["status"] as? String == "active", let id = start.object["chatId"] as? Int {
                            result.chats.append(id)
                        } else {
                            result.postFailures.append(start.status)
                        }
                        let began = ContinuousClock.now
                        let read = try await Self.send(.GET, gateway + "/api/v1/livechat/campaigns")
                        result.gets.append(Sample(sent: began, duration: ContinuousClock.now - began, status: read.status))
                    }
                    return result
                }
            }
            return try await group.reduce(into: LoadResult()) { total, part in
                total.chats += part.chats
                total.postFailures += part.postFailures
                total.gets += part.gets
            }
        }
    }

    /// API requests (not health probes or metrics) an instance has answered since it started, from its `/metrics`.
    static func servedRequests(port: Int) async throws -> Int {
        let metrics = try await Self.send(.GET, "http://127.0.0.1:\(port)/metrics", authorized: false).text
        return metrics.split(separator: "\n")
            .filter { $0.hasPrefix("http_requests_total{") && $0.contains(#"route="/api/v1/livechat/"#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var text: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(self.text.utf8)) }
        var object: [String: Any] { self.json as? [String: Any] ?? [:] }
    }

    /// One request as the bootstrap administrator (or anonymously); a transport failure is status 0.
    static func send(_ method: NIOHTTP1.HTTPMethod, _ url: String, _ body: String? = nil, authorized: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if authorized { request.headers.add(name: "Authorization", value: basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
            return Reply(status: Int(response.status.code), text: text)
        } catch {
            return Reply(status: 0, text: String(describing: error))
        }
    }
}

extension TwoInstanceTests {
    /// A value behind a lock, for closures that run on other tasks.
    final class Locked<Value: Sendable>: Sendable {
        private let value: Mutex<Value>

        init(_ value: Value) {
            self.value = Mutex(value)
        }

        func get() -> Value { self.value.withLock { $0 } }
        func set(_ value: Value) { self.value.withLock { $0 = value } }
    }

    /// livechat-config processes, spawned from the built executable beside the test bundle, all on one schema.
    ///
    /// `Process` is not Sendable; every access to the table of processes holds the lock.
    final class Fleet: @unchecked Sendable {
        let schema: String
        let executable: URL
        let folder: URL
        private let lock = NSLock()
        private var processes: [Int: Process] = [:]

        static func freshSchema() -> String {
            "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        }

        init(schema: String) throws {
            self.schema = schema
            // swift build puts every product in one folder, the test bundle's.
            let besideTests = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("livechat-config")
            let inRepository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../.build/debug/livechat-config"
            ).standardized
            guard
                let executable = [besideTests, inRepository].compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }
                )
            else {
                throw FleetError(
                    message: "no livechat-config executable beside the tests or in .build/debug: build it first (swift build --build-tests)")
            }
            self.executable = executable
            self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("two-instance-\(schema)")
            try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        }

        /// Starts an instance on `port`; its configuration comes from the environment only, as in a container.
        func start(port: Int) throws {
            let process = Process()
            process.executableURL = self.executable
            // The folder has no .env, so nothing from the repository leaks in.
            process.currentDirectoryURL = self.folder
            process.environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HTTP_HOST": "127.0.0.1",
                "HTTP_PORT": String(port),
                "DB_URL": TestConfiguration.databaseURL,
                "DB_SCHEMA": self.schema,
                "DB_POOL_SIZE": "2",
                "DATA_DIR": self.folder.path,
                "BOOTSTRAP_API_KEY": TestConfiguration.bootstrapKey,
                "INTERNAL_TOKEN": TestConfiguration.internalToken,
                "LOG_LEVEL": "warning",
                "LOG_REQUESTS": "false",
                "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
                "WEBHOOKS_POLL_INTERVAL": "0.05",
                // Short, so events a killed instance held come back within the test.
                "WEBHOOKS_LEASE_SECONDS": "2",
                "WEBHOOKS_TIMEOUT": "1",
                // A receiver slowed by a loaded machine (other suites run beside this one) misses the 1 s timeout now
                // and then: retries a second apart keep every event deliverable within the drain below.
                "WEBHOOKS_RETRY_SCHEDULE": "0,1,1,1,1,1,1,1,1,1",
                "SCHEDULER_POLL_INTERVAL": "0.2",
            ]
            let log = self.folder.appendingPathComponent("\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            self.lock.withLock { self.processes[port] = process }
        }

        /// Answers whether the instance answers `/readyz` with 200 within `limit` (callers allow a minute: beside the
        /// whole PostgreSQL pass on two cores, a start that takes 2 s alone was seen to take over 20).
        func waitReady(port: Int, within limit: Duration) async -> Bool {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline, self.isRunning(port: port) {
                if (try? await TwoInstanceTests.send(.GET, "http://127.0.0.1:\(port)/readyz", authorized: false).status) == 200 { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        func isRunning(port: Int) -> Bool {
            self.lock.withLock { self.processes[port]?.isRunning ?? false }
        }

        /// SIGKILL: no graceful shutdown, no chance to record anything.
        func kill(port: Int) {
            guard let process = self.lock.withLock({ self.processes.removeValue(forKey: port) }) else { return }
            _ = sendSignal(process.processIdentifier, SIGKILL)
            for _ in 0..<200 where process.isRunning { usleep(10_000) }
        }

        /// Kills every instance and deletes their folder.
        func killAll() {
            for port in self.lock.withLock({ Array(self.processes.keys) }) { self.kill(port: port) }
            try? FileManager.default.removeItem(at: self.folder)
        }

        /// The end of an instance's output, for failure messages.
        func log(port: Int) -> String {
            let text = (try? String(contentsOf: self.folder.appendingPathComponent("\(port).log"), encoding: .utf8)) ?? ""
            return String(text.suffix(2000))
        }

        struct FleetError: Error, CustomStringConvertible {
            var message: String
            var description: String { self.message }
        }
    }

    /// A webhook receiver that takes a while to answer, so deliveries are in flight when an instance is killed, and
    /// counts what it got by `webhook-id` and by chat.
    final class SlowReceiver: Sendable {
        let delay: Duration
        private let deliveries = Mutex<[(id: String, chat: Int?)]>([])

        init(delay: Duration) {
            self.delay = delay
        }

        func countsByID() -> [String: Int] {
            self.deliveries.withLock { $0.reduce(into: [:]) { $0[$1.id, default: 0] += 1 } }
        }

        func chatIDs() -> Set<Int> {
            Set(self.deliveries.withLock { $0.compactMap(\.chat) })
        }

        func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
            let router = Router()
            router.post("/hook") { request, _ -> HTTPResponse.Status in
                let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
                let payload = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
                let chat = (payload?["data"] as? [String: Any])?["id"] as? Int
                let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
                self.deliveries.withLock { $0.append((id, chat)) }
                try await Task.sleep(for: self.delay)
                return .ok
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                try await body("http://127.0.0.1:\(client.port!)/hook")
            }
        }
    }
}
