import Atomics
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import ServiceLifecycle
import TestSupport
import Testing

@testable import Gateway

/// Hostile and unlucky clients through the real gateway: nothing a client sends may count against an
/// upstream's health, and an upstream that comes back gets traffic again.
@Suite("Gateway hardening", .serialized)
struct GatewayHardeningTests {
    static func url(_ port: Int) -> String { "http://127.0.0.1:\(port)" }

    /// Sends `count` GETs that the upstream must answer 200.
    static func expectAnswered(_ count: Int, _ client: some TestClientProtocol, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<count {
            let response = try await client.execute(uri: "/RI/cmi/echo", method: .get)
            #expect(response.status == .ok, sourceLocation: sourceLocation)
        }
    }

    @Test("Targets the gateway cannot forward are the client's JSON 400, never reach the upstream, and never open its breaker")
    func badTargets() async throws {
        let stub = GatewayStub("a")
        try await stub.run { port in
            try await GatewayTests.gateway(sinch: [Self.url(port)], ["breaker.failureThreshold": 2, "gateway.healthInterval": 600.0]).test(.live) {
                client in
                let gateway = client.port!
                // Bytes NIO's parser accepts in a target but its encoder refuses (the old 502), bad escapes, fragments.
                let targets = [
                    "/RI/cmi/a|b", "/RI/cmi/a\\b", "/RI/cmi/a^b", "/RI/cmi/a{b}", "/RI/cmi/a\"b", "/RI/cmi/a<b>", "/RI/cmi/a`b",
                    "/RI/cmi/%zz", "/RI/cmi/a%", "/RI/cmi/%FF", "/RI/cmi/%00", "/RI/cmi/a#b", "/RI/cmi/echo?q=|",
                ]
                // All on one keep-alive connection, then a legitimate request on the same connection.
                var bytes = targets.flatMap { Array("GET \($0) HTTP/1.1\r\nHost: gw\r\n\r\n".utf8) }
                bytes += Array("GET /RI/cmi/echo HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n".utf8)
                let answer = try await RawHTTP.exchange(port: gateway, bytes)
                let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
                #expect(statuses == Array(repeating: "400", count: targets.count) + ["200"])
                #expect(answer.contains(#""status":400"#) && !answer.contains(#""upstream""#))

                // Bytes the parser itself refuses (non-ASCII, control characters): the same JSON 400, then the connection closes.
                for target in [[0xFF], [0x01], [0xC3, 0x28]] as [[UInt8]] {
                    let refused = try await RawHTTP.exchange(
                        port: gateway, Array("GET /RI/cmi/".utf8) + target + Array(" HTTP/1.1\r\nHost: gw\r\n\r\n".utf8))
                    #expect(refused.hasPrefix("HTTP/1.1 400"))
                    #expect(refused.contains("application/json"))
                }
                try await Self.expectAnswered(3, client)
                #expect(stub.requests.load(ordering: .relaxed) == 4)  // only the legitimate ones arrived
            }
        }
    }

    @Test("Clients that leave, stall or send garbage mid-request never open the breaker; a stalled client gets 408")
    func clientCausedConditions() async throws {
        let stub = GatewayStub("a")
        try await stub.run { port in
            let values: [AbsoluteConfigKey: ConfigValue] = [
                "breaker.failureThreshold": 2, "gateway.healthInterval": 600.0, "upstream.sinchCmi.timeout": 3.0,
            ]
            try await GatewayTests.gateway(sinch: [Self.url(port)], values).test(.live) { client in
                let gateway = client.port!
                let partial = Array("POST /RI/cmi/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n0123456789".utf8)
                for _ in 0..<3 {
                    // Leaves halfway through its body.
                    _ = try await RawHTTP.exchange(port: gateway, partial, closeAfterSending: true)
                }
                for _ in 0..<3 {
                    // Stops sending: the upstream waits for a body that never comes; the client's 408, not the upstream's 504.
                    let stalled = try await RawHTTP.exchange(port: gateway, partial)
                    #expect(stalled.hasPrefix("HTTP/1.1 408"))
                }
                for _ in 0..<3 {
                    // A chunked body that is not chunked.
                    let garbage = "POST /RI/cmi/upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"
                    let answer = try await RawHTTP.exchange(port: gateway, Array(garbage.utf8))
                    #expect(answer.hasPrefix("HTTP/1.1 400"))
                }
                try await Self.expectAnswered(1, client)
            }
        }
    }

    @Test(
        "An instance that is stopped and restarted gets traffic again, by health probe or by trial request",
        arguments: [0.05, 600.0]
    )
    func returningInstance(healthInterval: Double) async throws {
        let a = GatewayStub("a")
        let b = GatewayStub("b")
        let portB = try TestConfiguration.closedPort()
        try await a.run { portA in
            let values: [AbsoluteConfigKey: ConfigValue] = [
                "breaker.failureThreshold": 1, "breaker.openSeconds": 0.2, "gateway.healthInterval": .init(.double(healthInterval), isSecret: false),
            ]
            try await GatewayTests.gateway(sinch: [Self.url(portA), Self.url(portB)], values).test(.live) { client in
                try await b.run(port: portB) {
                    try await Self.expectAnswered(4, client)
                    #expect(b.requests.load(ordering: .relaxed) > 0)
                }
                // B is down: every request is still answered (by A), and B's breaker opens.
                for _ in 0..<6 {
                    try await Self.expectAnswered(1, client)
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await b.run(port: portB) {
                    let before = b.requests.load(ordering: .relaxed)
                    let deadline = ContinuousClock.now + .seconds(15)  // a loaded full run has needed more than 5
                    while b.requests.load(ordering: .relaxed) == before, ContinuousClock.now < deadline {
                        try await Self.expectAnswered(1, client)
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(b.requests.load(ordering: .relaxed) > before)
                    // Back in the rotation for good, not for one request.
                    let back = b.requests.load(ordering: .relaxed)
                    try await Self.expectAnswered(10, client)
                    #expect(b.requests.load(ordering: .relaxed) - back >= 4)
                }
            }
        }
    }

    @Test("A POST whose connection was refused goes to the other instance with its body intact, small or streamed")
    func postRetriedAfterRefusedConnect() async throws {
        let stub = GatewayStub("live")
        let dead = Self.url(TestConfiguration.refusingPort)
        try await stub.run { port in
            let values: [AbsoluteConfigKey: ConfigValue] = ["breaker.failureThreshold": 100, "gateway.healthInterval": 600.0]
            try await GatewayTests.gateway(sinch: [dead, Self.url(port)], values).test(.live) { client in
                let bodies =
                    (0..<4).map { ByteBuffer(string: "message \($0)") }
                    + (0..<2).map { ByteBuffer(repeating: UInt8(0x41 + $0), count: 3 * 1024 * 1024) }
                for body in bodies {
                    let response = try await client.execute(uri: "/RI/cmi/echo", method: .post, body: body)
                    #expect(response.status == .ok)
                    #expect(response.body == body)
                }
                #expect(stub.requests.load(ordering: .relaxed) == bodies.count)
            }
        }
    }

    @Test("Wrong credentials count against the client address: a client guessing a new one each time is limited")
    func wrongCredentialsLimitedByAddress() async throws {
        let stub = GatewayStub("a")
        try await stub.run { port in
            let values: [AbsoluteConfigKey: ConfigValue] = ["rateLimit.burst": 3.0, "rateLimit.requestsPerSecond": 0.01]
            try await GatewayTests.gateway(sinch: [Self.url(port)], values).test(.live) { client in
                for guess in 0..<3 {
                    let response = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: [.authorization: "Bearer guess-\(guess)"])
                    #expect(response.status == .unauthorized)
                }
                let limited = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: [.authorization: "Bearer guess-3"])
                #expect(limited.status == .tooManyRequests)
                #expect(stub.requests.load(ordering: .relaxed) == 3)
            }
            try await GatewayTests.gateway(sinch: [Self.url(port)], values).test(.live) { client in
                let good: HTTPFields = [.authorization: "Bearer good"]
                // Unknown at first (the address pays); accepted, so the credential's own bucket pays from then on.
                for _ in 0..<4 {
                    let response = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: good)
                    #expect(response.status == .ok)
                }
                let limited = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: good)
                #expect(limited.status == .tooManyRequests)
                // The address has two requests left, whatever credentials they guess.
                for guess in 0..<2 {
                    let response = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: [.authorization: "Bearer guess-\(guess)"])
                    #expect(response.status == .unauthorized)
                }
                let guessing = try await client.execute(uri: "/RI/cmi/private", method: .get, headers: [.authorization: "Bearer guess-9"])
                #expect(guessing.status == .tooManyRequests)
            }
        }
    }
}

/// An upstream for the hardening tests: names itself in answers, counts what reaches it, echoes bodies, and
/// has one route that wants `Bearer good`. It can run on a chosen port, to be restarted.
final class GatewayStub: Sendable {
    let name: String
    let requests = ManagedAtomic(0)

    init(_ name: String) {
        self.name = name
    }

    func application(port: Int) -> some ApplicationProtocol {
        Application(router: self.router(), configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/RI/cmi/echo") { _, _ -> String in
            self.requests.wrappingIncrement(ordering: .relaxed)
            return self.name
        }
        router.post("/RI/cmi/echo") { request, _ -> ByteBuffer in
            self.requests.wrappingIncrement(ordering: .relaxed)
            return try await request.body.collect(upTo: 8 * 1024 * 1024)
        }
        router.post("/RI/cmi/upload") { request, _ -> String in
            self.requests.wrappingIncrement(ordering: .relaxed)
            return String(try await request.body.collect(upTo: 1024 * 1024).readableBytes)
        }
        router.get("/RI/cmi/private") { request, _ -> String in
            self.requests.wrappingIncrement(ordering: .relaxed)
            guard request.headers[.authorization] == "Bearer good" else { throw HTTPError(.unauthorized) }
            return "ok"
        }
        router.get("/healthz") { _, _ in "ok" }
        return router
    }

    /// Runs the stub on a free port for the duration of `body`.
    func run(_ body: @Sendable (_ port: Int) async throws -> Void) async throws {
        try await self.application(port: 0).test(.live) { client in try await body(client.port!) }
    }

    /// Runs the stub on `port` (the live test framework always picks its own) until `body` returns.
    func run(port: Int, _ body: @Sendable () async throws -> Void) async throws {
        let (listening, ready) = AsyncStream<Void>.makeStream()
        let application = Application(
            router: self.router(), configuration: .init(address: .hostname("127.0.0.1", port: port)), onServerRunning: { _ in ready.yield() },
            logger: TestConfiguration.logger
        )
        let services = ServiceGroup(configuration: .init(services: [application], logger: TestConfiguration.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            for await _ in listening { break }
            do {
                try await body()
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            // Graceful, like a pod stopped in a rolling restart: the listener closes and idle connections are closed.
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// Exact bytes over TCP, for what the test HTTP client cannot send.
enum RawHTTP {
    /// Writes `bytes` on a new connection; returns what the server sends until it closes (at most 5 s), or
    /// nothing when `closeAfterSending`.
    static func exchange(port: Int, _ bytes: [UInt8], closeAfterSending: Bool = false) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        // A server that never closes must not hang the test.
        let guardTask = channel.channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.channel.close(promise: nil) }
        defer { guardTask.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            if closeAfterSending { return "" }
            var received = ""
            do {
                for try await buffer in inbound { received += String(buffer: buffer) }
            } catch {
                // A reset after the answer: what arrived is the answer.
            }
            return received
        }
    }
}
