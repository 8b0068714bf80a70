import Atomics
import Configuration
import Foundation
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import Gateway

/// An upstream that answers each request with bytes scripted by its path, so the proxy meets framings NIO's own
/// server never sends: close-delimited bodies, bytes after a response, chunked bodies with extensions.
final class ScriptedUpstream: Sendable {
    /// Connections that carried a proxied request (the gateway's health probes come on connections of their own and
    /// are not counted): a reused pooled connection does not add one.
    let connections = ManagedAtomic(0)

    static func answer(path: String) -> (bytes: String, close: Bool) {
        switch path {
        case "/RI/cmi/fixed": ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Request-ID: upstream\r\n\r\nhello", false)
        case "/RI/cmi/chunked": ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n", false)
        case "/RI/cmi/until-close": ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close", true)
        case "/RI/cmi/extra": ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsmuggl", false)
        case "/RI/cmi/switch": ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n", false)
        default: ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false)
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let connections: ManagedAtomic<Int>
        private var received = ""
        private var counted = false

        init(connections: ManagedAtomic<Int>) {
            self.connections = connections
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.received += String(buffer: self.unwrapInboundIn(data))
            while let end = self.received.range(of: "\r\n\r\n") {
                let head = self.received[..<end.lowerBound]
                self.received = String(self.received[end.upperBound...])
                let target = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                let isHead = head.hasPrefix("HEAD ")
                if !self.counted, target.hasPrefix("/RI/cmi/") {
                    self.counted = true
                    self.connections.wrappingIncrement(ordering: .relaxed)
                }
                var (bytes, close) = ScriptedUpstream.answer(path: target)
                if isHead, let split = bytes.range(of: "\r\n\r\n") { bytes = String(bytes[..<split.upperBound]) }
                context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: bytes)), promise: nil)
                if close { context.close(promise: nil) }
            }
        }
    }

    func run(_ body: (_ url: String) async throws -> Void) async throws {
        let connections = self.connections
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(connections: connections)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            try await body("http://127.0.0.1:\(server.localAddress!.port!)")
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
    }
}

@Suite("Gateway: responses framed as the upstream framed them")
struct ProxyFramingLiveTests {
    private func raw(_ port: Int, _ requests: String) async throws -> String {
        try await GatewayTests.exchangeRaw(port: port, requests)
    }

    @Test("Chunked and Content-Length bodies pass whole, the pooled connection is reused; bytes after a body end that connection")
    func reuse() async throws {
        let upstream = ScriptedUpstream()
        try await upstream.run { url in
            try await GatewayTests.gateway(sinch: [url]).test(.live) { client in
                let answer = try await self.raw(
                    client.port!,
                    "GET /RI/cmi/chunked HTTP/1.1\r\nHost: gw\r\n\r\nGET /RI/cmi/fixed HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
                #expect(answer.contains("Transfer-Encoding: chunked\r\n"))
                #expect(answer.contains("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\nHTTP/1.1 200 OK"))
                #expect(answer.hasSuffix("\r\n\r\nhello"))
                #expect(!answer.contains("X-Request-ID: upstream"))  // the gateway's id replaces the upstream's
                #expect(upstream.connections.load(ordering: .relaxed) == 1)

                let before = upstream.connections.load(ordering: .relaxed)
                let smuggled = try await self.raw(
                    client.port!, "GET /RI/cmi/extra HTTP/1.1\r\nHost: gw\r\n\r\nGET /RI/cmi/fixed HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
                #expect(!smuggled.contains("smuggl"))
                #expect(smuggled.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
                #expect(smuggled.hasSuffix("\r\n\r\nhello"))
                // The connection that carried bytes nobody asked for was closed, not pooled: had the next request gone on
                // it, its answer would be the bytes that followed "ok". (A new client connection may land on the other
                // event loop, whose pool is its own: one or two connections are new.)
                #expect((before + 1)...(before + 2) ~= upstream.connections.load(ordering: .relaxed))
            }
        }
    }

    @Test("A body that ends at the upstream's close ends the client's connection too, with Connection: close")
    func untilClose() async throws {
        let upstream = ScriptedUpstream()
        try await upstream.run { url in
            try await GatewayTests.gateway(sinch: [url]).test(.live) { client in
                let answer = try await self.raw(client.port!, "GET /RI/cmi/until-close HTTP/1.1\r\nHost: gw\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(answer.contains("Connection: close\r\n"))
                #expect(answer.hasSuffix("\r\n\r\nuntil the close"))
            }
        }
    }

    @Test("HEAD gets the head only; an HTTP/1.0 client keeping its connection is told so; a 101 nobody asked for is a 502")
    func headAndOldClients() async throws {
        let upstream = ScriptedUpstream()
        try await upstream.run { url in
            try await GatewayTests.gateway(sinch: [url]).test(.live) { client in
                let head = try await self.raw(
                    client.port!, "HEAD /RI/cmi/fixed HTTP/1.1\r\nHost: gw\r\n\r\nGET /RI/cmi/fixed HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"
                )
                #expect(head.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
                #expect(head.components(separatedBy: "hello").count == 2)  // one body: the GET's

                let old = try await self.raw(
                    client.port!, "GET /RI/cmi/fixed HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /RI/cmi/fixed HTTP/1.0\r\n\r\n")
                #expect(old.hasPrefix("HTTP/1.0 200 OK\r\n"))
                #expect(old.contains("Connection: keep-alive\r\n"))
                #expect(old.components(separatedBy: "HTTP/1.0 200 OK").count == 3)

                let switched = try await self.raw(client.port!, "GET /RI/cmi/switch HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
                #expect(switched.hasPrefix("HTTP/1.1 502 "))
            }
        }
    }
}
