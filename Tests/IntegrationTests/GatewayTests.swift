import Atomics
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NIOPosix
import ServiceKit
import TestSupport
import Testing

@testable import Gateway

@Suite("Gateway", .serialized)
struct GatewayTests {
    /// A gateway whose sinch-cmi upstream is `urls`, with other settings overridden by `values`. The other
    /// upstreams point at a port nothing listens on, never at their well-known ports (where a running system
    /// would answer).
    static func gateway(sinch urls: [String], _ values: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> some ApplicationProtocol {
        let nowhere = ConfigValue(.stringArray(["http://127.0.0.1:\(TestConfiguration.refusingPort)"]), isSecret: false)
        var config: [AbsoluteConfigKey: ConfigValue] = [
            "upstream.sinchCmi.urls": .init(.stringArray(urls), isSecret: false),
            "upstream.conversation.urls": nowhere,
            "upstream.livechatConfig.urls": nowhere,
            "upstream.outreachContact.urls": nowhere,
            "upstream.chatwootGroups.urls": nowhere,
            "gateway.healthInterval": 0.1,
        ]
        config.merge(values) { _, new in new }
        return try await buildApplication(reader: TestConfiguration.reader(config))
    }

    @Test("Forwards to the owning upstream, passing X-Request-ID, and answers JSON 404 for unowned and internal paths")
    func forwarding() async throws {
        let upstream = TestUpstream()
        try await upstream.run { url in
            try await Self.gateway(sinch: [url]).test(.live) { client in
                let response = try await client.execute(uri: "/RI/cmi/echo", method: .get, headers: [.requestID: "trace-42"])
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"requestId":"trace-42"}"#)
                #expect(response.headers[.requestID] == "trace-42")
                #expect(response.headers[HTTPField.Name("RateLimit-Policy")!] != nil)

                let unowned = try await client.execute(uri: "/nobody/owns/this", method: .get)
                #expect(unowned.status == .notFound)
                #expect(unowned.headers[.contentType]?.hasPrefix("application/json") == true)
                for path in ["/internal/secret", "/INTERNAL/secret", "/Internal"] {
                    let internalRoute = try await client.execute(uri: path, method: .get)
                    #expect(internalRoute.status == .notFound)
                    #expect(String(buffer: internalRoute.body).contains(#""status":404"#))  // the gateway's own
                }
                // Prefixes match in any case (Comm100's paths are case-insensitive): this reaches the upstream, whose
                // own 404 (no JSON) says it was asked.
                let otherCase = try await client.execute(uri: "/ri/CMI/echo", method: .get)
                #expect(otherCase.status == .notFound)
                #expect(!String(buffer: otherCase.body).contains(#""status":404"#))
                #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)  // the other four are not running
            }
        }
    }

    @Test("A hanging upstream gives a 504 naming it within the timeout")
    func hangingUpstream() async throws {
        let upstream = TestUpstream()
        try await upstream.run { url in
            try await Self.gateway(sinch: [url], ["upstream.sinchCmi.timeout": 0.5]).test(.live) { client in
                let started = ContinuousClock.now
                let response = try await client.execute(uri: "/RI/cmi/slow", method: .get)
                #expect(response.status == .gatewayTimeout)
                // The timeout is 0.5 s and the upstream answers after 8 s: well under 8 s shows the gateway gave up on it
                // (beside the other suites, whose start-ups saturate both cores, the 504 has taken up to 3.7 s to arrive).
                #expect(ContinuousClock.now - started < .seconds(6))
                #expect(String(buffer: response.body).contains("sinch-cmi"))
            }
        }
    }

    @Test("With one of two instances down, no request fails: a refused connect sent nothing, so even a POST goes to the other")
    func instanceDown() async throws {
        let upstream = TestUpstream()
        let dead = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
        try await upstream.run { url in
            // A long health interval keeps the dead instance in rotation, so requests meet it.
            try await Self.gateway(sinch: [dead, url], ["gateway.healthInterval": 600.0, "breaker.failureThreshold": 100]).test(.live) { client in
                for _ in 0..<6 {
                    let response = try await client.execute(uri: "/RI/cmi/echo", method: .get)
                    #expect(response.status == .ok)
                }
                for _ in 0..<4 {
                    let response = try await client.execute(uri: "/RI/cmi/messages", method: .post, body: ByteBuffer(string: "{}"))
                    #expect(response.status == .created)
                }
                #expect(upstream.posts.load(ordering: .relaxed) == 4)
            }
        }
    }

    @Test("An upstream with no reachable instance opens its breaker and answers 503")
    func breakerOpens() async throws {
        let dead = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
        try await Self.gateway(sinch: [dead], ["breaker.failureThreshold": 2, "gateway.healthInterval": 600.0]).test(.live) { client in
            #expect(try await client.execute(uri: "/RI/cmi/echo", method: .get).status == .badGateway)
            #expect(try await client.execute(uri: "/RI/cmi/echo", method: .get).status == .badGateway)
            let open = try await client.execute(uri: "/RI/cmi/echo", method: .get)
            #expect(open.status == .serviceUnavailable)
            #expect(String(buffer: open.body).contains("sinch-cmi"))
        }
    }

    @Test("Rate limits per accepted credential answer 429 with Retry-After and RateLimit headers")
    func rateLimit() async throws {
        let upstream = TestUpstream()
        try await upstream.run { url in
            try await Self.gateway(sinch: [url], ["rateLimit.burst": 2.0, "rateLimit.requestsPerSecond": 0.01]).test(.live) { client in
                let alice: HTTPFields = [.authorization: basicAuthorization("alice", "x")]
                // The first request counts against the address (the credential is not known yet); the upstream accepts
                // it, so the next ones count against alice's own bucket.
                for _ in 0..<3 {
                    let response = try await client.execute(uri: "/RI/cmi/echo", method: .get, headers: alice)
                    #expect(response.status == .ok)
                }
                let limited = try await client.execute(uri: "/RI/cmi/echo", method: .get, headers: alice)
                #expect(limited.status == .tooManyRequests)
                #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(limited.headers[HTTPField.Name("RateLimit")!]?.contains("r=0") == true)
                let bob: HTTPFields = [.authorization: basicAuthorization("bob", "x")]
                #expect(try await client.execute(uri: "/RI/cmi/echo", method: .get, headers: bob).status == .ok)
            }
        }
    }

    @Test("Paths under rateLimit.callbackPrefixes (carriers' signed status callbacks) take from their own, wider bucket per address")
    func callbackPrefixes() async throws {
        let upstream = TestUpstream()
        try await upstream.run { url in
            let values: [AbsoluteConfigKey: ConfigValue] = [
                "rateLimit.burst": 2.0, "rateLimit.requestsPerSecond": 0.01,
                "rateLimit.callbackPrefixes": .init(.stringArray(["/RI/cmi/echo"]), isSecret: false), "rateLimit.callbackBurst": 10.0,
                "rateLimit.callbackRequestsPerSecond": 0.01,
            ]
            try await Self.gateway(sinch: [url], values).test(.live) { client in
                for _ in 0..<10 {
                    let response = try await client.execute(uri: "/RI/cmi/echo?from=carrier", method: .get)
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("RateLimit-Policy")!]?.contains("q=10") == true)
                }
                #expect(try await client.execute(uri: "/RI/cmi/echo", method: .get).status == .tooManyRequests)
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<3 { statuses.append(try await client.execute(uri: "/RI/cmi/upload", method: .post).status) }
                #expect(statuses.last == .tooManyRequests)
                #expect(!statuses.dropLast().contains(.tooManyRequests))
            }
        }
    }

    @Test("Pipelined requests, proxied and routed, are answered in order on one connection")
    func pipelining() async throws {
        let upstream = TestUpstream()
        try await upstream.run { url in
            try await Self.gateway(sinch: [url]).test(.live) { client in
                let requests = [
                    "GET /RI/cmi/echo HTTP/1.1\r\nHost: gw\r\nX-Request-ID: first\r\n\r\n",
                    "GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n",
                    "POST /RI/cmi/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello",
                    "GET /nobody/owns/this HTTP/1.1\r\nHost: gw\r\n\r\n",
                    "GET /RI/cmi/echo HTTP/1.1\r\nHost: gw\r\nX-Request-ID: last\r\nConnection: close\r\n\r\n",
                ]
                let answer = try await Self.exchangeRaw(port: client.port!, requests.joined())
                let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
                #expect(statuses == ["200", "200", "200", "404", "200"])
                let first = try #require(answer.range(of: #"{"requestId":"first"}"#))
                let upload = try #require(answer.range(of: "\r\n\r\n5"))
                let last = try #require(answer.range(of: #"{"requestId":"last"}"#))
                #expect(first.upperBound <= upload.lowerBound && upload.upperBound <= last.lowerBound)
            }
        }
    }

    /// Writes `bytes` in one go on a new connection and returns everything read until the server closes it.
    static func exchangeRaw(port: Int, _ bytes: String) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: bytes))
            var received = ""
            for try await buffer in inbound { received += String(buffer: buffer) }
            return received
        }
    }

    @Test("A 50 MB upload streams through: the upstream has its first bytes while the client is still sending; over the limit is a 413")
    func streamingUpload() async throws {
        let upstream = TestUpstream()
        let size = 50 * 1024 * 1024
        let chunk = [UInt8](repeating: 0x61, count: 1024 * 1024)
        try await upstream.run { url in
            // The exchange's deadline (15 s by default) bounds the whole upload: a loaded test machine needs longer for 50 MB.
            let settings: [AbsoluteConfigKey: ConfigValue] = [
                "gateway.maxBodySize": .init(.int(60 * 1024 * 1024), isSecret: false), "gateway.timeout": .init(.double(90), isSecret: false),
            ]
            try await Self.gateway(sinch: [url], settings).test(.live) { client in
                // Not a memory reading (the test process runs every suite at once): a gateway that buffered the body
                // could not forward any of it before the client sent the last byte.
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: client.port!) {
                    channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
                let stuck = channel.channel.eventLoop.scheduleTask(in: .seconds(90)) { channel.channel.close(promise: nil) }
                defer { stuck.cancel() }
                let answer = try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(
                        ByteBuffer(string: "POST /RI/cmi/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n"))
                    try await outbound.write(ByteBuffer(bytes: chunk))
                    let deadline = ContinuousClock.now + .seconds(10)
                    while upstream.uploaded.load(ordering: .relaxed) == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    #expect(upstream.uploaded.load(ordering: .relaxed) > 0, "the first megabyte reached the upstream before the other 49 were sent")
                    for _ in 1..<(size / chunk.count) { try await outbound.write(ByteBuffer(bytes: chunk)) }
                    var received = ""
                    for try await buffer in inbound { received += String(buffer: buffer) }
                    return received
                }
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(answer.hasSuffix("\r\n\r\n\(size)"))
            }
            try await Self.gateway(sinch: [url], ["gateway.maxBodySize": 1024]).test(.live) { client in
                let response = try await client.execute(uri: "/RI/cmi/upload", method: .post, body: ByteBuffer(repeating: 0x61, count: 4096))
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}
