import NIOCore
import NIOHTTP1

/// Writes a proxied request for its upstream as bytes: the head with hop-by-hop headers gone and the request id and
/// forwarding headers added, in one pass over the client's headers; the body as it came (Content-Length) or in chunks
/// of the size they arrived (a chunked request, whose framing the client-side parser took off).
///
/// Refuses a header NIO's encoder would refuse (a name that is not a token; CR, LF or NUL in a value): the request
/// is the client's 400, never sent on, and tells nothing about the upstream.
struct UpstreamRequestWriter {
    private let chunked: Bool
    /// The request line and the client's headers, checked and written once, before any instance is chosen.
    private let headStart: ByteBuffer
    /// The request id and forwarding headers, and the head's end.
    private let headEnd: ByteBuffer

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Checks and writes what of the head does not depend on the instance. An HTTP/1.0 client's request goes as
    /// HTTP/1.0, so its response comes without chunked framing the client could not read; such a request with a
    /// Transfer-Encoding is refused (RFC 9112 §6.1). A websocket upgrade (`webSocket`) keeps asking for one: the
    /// upstream gets `Connection: Upgrade` and `Upgrade: websocket` in place of the client's hop-by-hop headers.
    init(
        _ head: HTTPRequestHead, facts: RequestHeaderFacts, requestID: String, clientAddress: String?, allocator: ByteBufferAllocator,
        webSocket: Bool = false
    ) throws(Refusal) {
        self.chunked = facts.transferEncoding
        if facts.transferEncoding, head.version.minor == 0 { throw Refusal(description: "an HTTP/1.0 request cannot have a Transfer-Encoding") }
        var start = allocator.buffer(capacity: 512)
        start.writeString(head.method.rawValue)
        start.writeStaticString(" ")
        start.writeString(head.uri)
        start.writeStaticString(head.version.minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
        var originalHost: String?
        var forwardedFor: String?
        for (name, value) in head.headers {
            switch ProxiedHeader(name) {
            case .other:
                // The body is framed anew: a Content-Length beside chunked framing would contradict it.
                if self.chunked, ProxiedHeader.isContentLength(name) { continue }
                try Self.write(name, value, into: &start)
            case .host: originalHost = originalHost ?? value
            case .forwardedFor: forwardedFor = forwardedFor ?? value
            case .hopByHop, .requestID, .forwardedHost, .forwardedProto: break
            }
        }
        var end = allocator.buffer(capacity: 160)
        if webSocket { end.writeStaticString("Connection: Upgrade\r\nUpgrade: websocket\r\n") }
        try Self.write("X-Request-ID", requestID, into: &end)
        if let clientAddress {
            try Self.write("X-Forwarded-For", forwardedFor.map { "\($0), \(clientAddress)" } ?? clientAddress, into: &end)
        } else if let forwardedFor {
            try Self.write("X-Forwarded-For", forwardedFor, into: &end)
        }
        if let originalHost { try Self.write("X-Forwarded-Host", originalHost, into: &end) }
        end.writeStaticString("X-Forwarded-Proto: http\r\n\r\n")
        self.headStart = start
        self.headEnd = end
    }

    /// The head as the instance at `authority` gets it.
    func head(authority: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: self.headStart.readableBytes + authority.utf8.count + self.headEnd.readableBytes + 8)
        out.writeImmutableBuffer(self.headStart)
        out.writeStaticString("Host: ")
        out.writeString(authority)
        out.writeStaticString("\r\n")
        out.writeImmutableBuffer(self.headEnd)
        return out
    }

    /// A body part as it goes upstream.
    func body(_ part: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard self.chunked else { return part }
        guard part.readableBytes > 0 else { return nil }  // an empty chunk would end the body
        var out = allocator.buffer(capacity: part.readableBytes + 12)
        out.writeString(String(part.readableBytes, radix: 16))
        out.writeStaticString("\r\n")
        out.writeImmutableBuffer(part)
        out.writeStaticString("\r\n")
        return out
    }

    /// The end of the body: the last chunk and the trailers, when chunked.
    func end(trailers: HTTPHeaders?, allocator: ByteBufferAllocator) throws(Refusal) -> ByteBuffer? {
        guard self.chunked else { return nil }
        var out = allocator.buffer(capacity: 5)
        out.writeStaticString("0\r\n")
        for (name, value) in trailers ?? [:] { try Self.write(name, value, into: &out) }
        out.writeStaticString("\r\n")
        return out
    }

    private static func write(_ name: String, _ value: String, into out: inout ByteBuffer) throws(Refusal) {
        var name = name
        var value = value
        guard name.withUTF8({ !$0.isEmpty && $0.allSatisfy { Self.tokenBytes[Int($0)] } }) else {
            throw Refusal(description: "the header name \(name.debugDescription) is not a token")
        }
        guard value.withUTF8({ !$0.contains { $0 == 0 || $0 == 10 || $0 == 13 } }) else {
            throw Refusal(description: "the value of header \(name) holds CR, LF or NUL")
        }
        out.writeString(name)
        out.writeStaticString(": ")
        out.writeString(value)
        out.writeStaticString("\r\n")
    }

    /// RFC 9110 §5.6.2 tchar, by byte.
    private static let tokenBytes: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
