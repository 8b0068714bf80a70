import AsyncHTTPClient
import Configuration
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Prometheus
import ServiceKit
import Synchronization
import TestSupport
import Testing

@testable import Gateway

@Suite("The gateway's websocket proxy")
struct WebSocketProxyTests {
    @Test("Websocket upgrades route to chatwoot-groups on its prefixes and /cable; elsewhere they are plain requests")
    func routing() {
        let settings = GatewaySettings(reader: TestConfiguration.reader())
        let upstreams = settings.upstreams.map { Upstream(settings: $0, failureThreshold: 5, openDuration: .seconds(1)) }
        let engine = ProxyEngine(
            upstreams: upstreams, limiter: RateLimiter(rate: 1, burst: 1), credentials: KnownCredentials(capacity: 10), maxBodySize: 1,
            logger: TestConfiguration.logger, accessLog: false, registry: .init())
        #expect(engine.webSocketRoute("/cable")?.name == "chatwoot-groups")
        #expect(engine.webSocketRoute("/cable?token=x")?.name == "chatwoot-groups")
        #expect(engine.webSocketRoute("/api/v1/accounts/1/cable")?.name == "chatwoot-groups")
        #expect(engine.webSocketRoute("/cables") == nil)
        #expect(engine.webSocketRoute("/RI/cmi/contacts") == nil)
        #expect(engine.webSocketRoute("/internal/cable") == nil)
        #expect(engine.route("/cable") == nil)  // a plain request there stays the gateway's own 404
        for upstream in upstreams { try? upstream.client.syncShutdown() }

        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/cable")
        head.headers.add(name: "Connection", value: "keep-alive, Upgrade")
        head.headers.add(name: "Upgrade", value: "WebSocket")
        #expect(RequestHeaderFacts.isWebSocketUpgrade(head))
        #expect(RequestHeaderFacts(head.headers).upgrade)
        head.method = .POST
        #expect(!RequestHeaderFacts.isWebSocketUpgrade(head))
        #expect(!RequestHeaderFacts(["Upgrade": "websocket"]).upgrade)
    }

    @Test("A 101 ends the parsing when the request asked for a websocket (what follows is the websocket's), and is refused otherwise")
    func switching() throws {
        // The head, then a first websocket frame (a text frame "hi") in the same read.
        let response = ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        var buffer = response
        buffer.writeBytes([0x81, 0x02, 0x68, 0x69])
        var parser = UpstreamResponseParser()
        guard case .switched(let head) = try #require(try parser.next(&buffer, headRequest: false, upgrade: true)) else {
            Issue.record("no switch")
            return
        }
        #expect(head.status == 101)
        #expect(buffer.readableBytes == 4)  // the first frame stays for the tunnel
        var refused = response
        var plain = UpstreamResponseParser()
        #expect(throws: UpstreamResponseParser.Failure.self) { try plain.next(&refused, headRequest: false) }

        // The upstream is asked for the upgrade in the normalised form, whatever hop-by-hop headers the client sent.
        var request = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/cable")
        request.headers.add(name: "Connection", value: "Upgrade, keep-alive")
        request.headers.add(name: "Upgrade", value: "websocket")
        request.headers.add(name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==")
        let writer = try UpstreamRequestWriter(
            request, facts: RequestHeaderFacts(request.headers), requestID: "rid", clientAddress: nil, allocator: .init(), webSocket: true)
        let written = String(buffer: writer.head(authority: "up:1", allocator: .init()))
        #expect(written.contains("Connection: Upgrade\r\nUpgrade: websocket\r\n"))
        #expect(written.contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
        #expect(!written.contains("keep-alive"))
    }

    @Test("A client hears an upstream websocket's frames through the gateway, and the upstream hears the client's")
    func splice() async throws {
        // chatwoot-groups' stand-in: a websocket on /cable that greets, then echoes.
        let upstream = Application(
            router: Router(),
            server: .http1WebSocketUpgrade { request, _, _ in
                guard request.path == "/cable" else { return .dontUpgrade }
                return .upgrade([.secWebSocketProtocol: "actioncable-v1-json"]) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"type":"welcome"}"#))
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { try await outbound.write(.text("echo \(text)")) }
                    }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: TestConfiguration.logger
        )
        try await upstream.test(.live) { upstreamClient in
            let url = "http://127.0.0.1:\(try #require(upstreamClient.port))"
            let nowhere = ConfigValue(.stringArray(["http://127.0.0.1:\(TestConfiguration.refusingPort)"]), isSecret: false)
            let gateway = try await buildApplication(
                reader: TestConfiguration.reader([
                    "upstream.chatwootGroups.urls": .init(.stringArray([url]), isSecret: false), "upstream.conversation.urls": nowhere,
                    "upstream.livechatConfig.urls": nowhere, "upstream.outreachContact.urls": nowhere, "upstream.sinchCmi.urls": nowhere,
                ]))
            try await gateway.test(.live) { client in
                let heard = Mutex<[String]>([])
                try await client.ws("/cable", configuration: .init(additionalHeaders: [.secWebSocketProtocol: "actioncable-v1-json"])) {
                    inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                    for send in ["one", String(repeating: "x", count: 10_000)] {
                        if case .text(let text)? = try await messages.next() { heard.withLock { $0.append(text) } }
                        try await outbound.write(.text(send))
                    }
                    if case .text(let text)? = try await messages.next() { heard.withLock { $0.append(text) } }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                #expect(heard.withLock { $0 } == [#"{"type":"welcome"}"#, "echo one", "echo " + String(repeating: "x", count: 10_000)])
                // The gateway still answers plain requests afterwards, and /cable without an upgrade is not proxied.
                #expect(try await client.execute(uri: "/cable", method: .get).status == .notFound)
            }
        }
    }
}
