import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

@Suite("Proxy framing: upstream responses read as bytes, requests written as bytes")
struct ProxyFramingTests {
    /// Feeds `response` to a parser in pieces of `piece` bytes; returns the head, the body bytes and whether it ended.
    private func parse(_ response: String, piece: Int, headRequest: Bool = false) throws -> (UpstreamResponseHead?, String, Bool, Int) {
        var parser = UpstreamResponseParser()
        var head: UpstreamResponseHead?
        var body = ""
        var ended = false
        var leftover = 0
        let bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(offset + piece, bytes.count)])
            offset += piece
            while !ended, let event = try parser.next(&buffer, headRequest: headRequest) {
                switch event {
                case .head(let parsed, _): head = parsed
                case .body(let slice): body += String(buffer: slice)
                case .end: ended = true
                case .switched: Issue.record("a 101 nobody asked for was taken")
                }
            }
            leftover += buffer.readableBytes
        }
        return (head, body, ended, leftover)
    }

    @Test("Content-Length and chunked bodies end where their framing says, however the bytes are split", arguments: [1, 2, 7, 4096])
    func framing(piece: Int) throws {
        let fixed = try self.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Request-ID: old\r\n\r\nhello", piece: piece)
        #expect(fixed.0?.status == 200)
        #expect(fixed.0?.keepAlive == true)
        #expect(fixed.1 == "hello")
        #expect(fixed.2)
        #expect(fixed.3 == 0)

        let chunked = "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer-A: x\r\n\r\n"
        let parsed = try self.parse(chunked, piece: piece)
        #expect(parsed.0?.chunked == true)
        // The framing passes through as it came: the client reads the same chunks.
        #expect(parsed.1 == "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer-A: x\r\n\r\n")
        #expect(parsed.2)
        #expect(parsed.3 == 0)
    }

    @Test("No body for HEAD, 204 and 304; 1xx skipped; without framing the body runs to the close and the connection is not reused")
    func bodiless() throws {
        #expect(try self.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", piece: 100, headRequest: true).2)
        #expect(try self.parse("HTTP/1.1 204 No Content\r\n\r\n", piece: 100).2)
        let informational = try self.parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", piece: 3)
        #expect(informational.0?.status == 200)
        #expect(informational.1 == "ok")
        let unframed = try self.parse("HTTP/1.1 200 OK\r\n\r\nuntil close", piece: 4)
        #expect(unframed.0?.keepAlive == false)
        #expect(unframed.1 == "until close")
        #expect(!unframed.2)
        #expect(try self.parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", piece: 50).0?.keepAlive == false)
        #expect(try self.parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", piece: 50).0?.keepAlive == false)
    }

    @Test(
        "What is not an HTTP/1.1 response is the upstream's failure",
        arguments: [
            "garbage\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 2\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a\nb\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef0\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n",
        ]
    )
    func malformed(_ response: String) {
        #expect(throws: UpstreamResponseParser.Failure.self) { try self.parse(response, piece: 1) }
    }

    @Test("A head that never ends is refused at the limit")
    func oversizeHead() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Filler: \(String(repeating: "a", count: 100))\r\n", count: 1000)
        #expect(throws: UpstreamResponseParser.Failure.self) { try self.parse(endless, piece: 4096) }
    }

    @Test("The client's head: its version, the upstream's status and headers without hop-by-hop ones or the old request id, then ours")
    func clientHead() throws {
        var buffer = ByteBuffer(
            string:
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nx-request-id: old\r\nVary: Accept\r\n\r\n"
        )
        var parser = UpstreamResponseParser()
        guard case .head(let head, _) = try #require(try parser.next(&buffer, headRequest: false)) else {
            Issue.record("no head")
            return
        }
        var out = ByteBuffer()
        head.write(to: &out, version: .http1_0, extraHeaders: [("X-Request-ID", "new")])
        #expect(String(buffer: out) == "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nVary: Accept\r\nX-Request-ID: new\r\n\r\n")
    }

    @Test("One pass over a request's headers finds what routing, limits and framing read, in any case, first value winning")
    func headerFacts() {
        let facts = RequestHeaderFacts([
            "X-REQUEST-ID": "rid", "authorization": "Basic a", "Api_Access_Token": "t", "Content-Length": "42", "content-length": "7",
            "Transfer-Encoding": "chunked", "X-Other": "x",
        ])
        #expect(facts.requestID == "rid")
        #expect(facts.authorization == "Basic a")
        #expect(facts.token == "t")
        #expect(facts.contentLength == 42)
        #expect(facts.transferEncoding)
        #expect(RequestHeaderFacts(["Accept": "*/*"]).contentLength == nil)
    }

    @Test("Requests go upstream with forwarding headers, chunked bodies re-framed, and headers NIO would refuse refused")
    func requests() throws {
        var clientHead = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/contact/contacts?x=1")
        clientHead.headers = [
            "Host": "gateway:8080", "Connection": "keep-alive", "Transfer-Encoding": "chunked", "Content-Length": "3", "X-Request-ID": "spoof",
            "X-Forwarded-For": "10.0.0.1", "Accept": "*/*",
        ]
        let writer = try UpstreamRequestWriter(
            clientHead, facts: RequestHeaderFacts(clientHead.headers), requestID: "rid", clientAddress: "192.0.2.7", allocator: .init())
        #expect(
            String(buffer: writer.head(authority: "127.0.0.1:8083", allocator: .init()))
                == "POST /contact/contacts?x=1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\nAccept: */*\r\nHost: 127.0.0.1:8083\r\nX-Request-ID: rid\r\n"
                + "X-Forwarded-For: 10.0.0.1, 192.0.2.7\r\nX-Forwarded-Host: gateway:8080\r\nX-Forwarded-Proto: http\r\n\r\n")
        #expect(writer.body(ByteBuffer(string: "hello"), allocator: .init()).map { String(buffer: $0) } == "5\r\nhello\r\n")
        #expect(writer.body(ByteBuffer(), allocator: .init()) == nil)
        #expect(try writer.end(trailers: nil, allocator: .init()).map { String(buffer: $0) } == "0\r\n\r\n")

        var injected = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        injected.headers = ["X-Bad": "a\r\nX-Injected: 1"]
        #expect(throws: UpstreamRequestWriter.Refusal.self) {
            try UpstreamRequestWriter(injected, facts: RequestHeaderFacts(injected.headers), requestID: "r", clientAddress: nil, allocator: .init())
        }
        var chunkedOld = HTTPRequestHead(version: .http1_0, method: .POST, uri: "/")
        chunkedOld.headers = ["Transfer-Encoding": "chunked"]
        #expect(throws: UpstreamRequestWriter.Refusal.self) {
            try UpstreamRequestWriter(
                chunkedOld, facts: RequestHeaderFacts(chunkedOld.headers), requestID: "r", clientAddress: nil, allocator: .init())
        }
    }

    @Test("Framing read as RFC 9112 §6.3 reads it: Transfer-Encoding overrides Content-Length, which the client then does not get")
    func transferEncodingWins() throws {
        // Not chunked: the body runs to the close, whatever the Content-Length says.
        let unframed = try self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef", piece: 5)
        #expect(unframed.1 == "abcdef")
        #expect(!unframed.2)
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
        var parser = UpstreamResponseParser()
        guard case .head(let head, _) = try #require(try parser.next(&buffer, headRequest: false)) else {
            Issue.record("no head")
            return
        }
        #expect(head.chunked)
        var out = ByteBuffer()
        head.write(to: &out, version: .http1_1, extraHeaders: [])
        #expect(String(buffer: out) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        // "close" wins wherever it stands.
        #expect(try self.parse("HTTP/1.1 200 OK\r\nConnection: close, keep-alive\r\nContent-Length: 0\r\n\r\n", piece: 64).0?.keepAlive == false)
    }

    @Test("A 304 has no body; bytes after a response are left over (the handler then closes the connection); large sizes parse")
    func edges() throws {
        let notModified = try self.parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"x\"\r\n\r\n", piece: 8)
        #expect(notModified.0?.status == 304)
        #expect(notModified.1.isEmpty)
        #expect(notModified.2)
        let trailing = try self.parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", piece: 100)
        #expect(trailing.1 == "ok")
        #expect(trailing.3 == 5)
        #expect(
            try self.parse("HTTP/1.1 200 OK\r\nContent-Length: 123456789012345678\r\n\r\n", piece: 100).0?.contentLength == 123_456_789_012_345_678)
        #expect(try self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000a\r\n0123456789\r\n0\r\n\r\n", piece: 3).2)
    }

}
