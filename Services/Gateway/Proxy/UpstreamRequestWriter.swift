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

    /// `chunked`: the client's request came with Transfer-Encoding.
    init(chunked: Bool) {
        self.chunked = chunked
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The head as `instance` gets it. An HTTP/1.0 client's request goes as HTTP/1.0, so its response comes without
    /// chunked framing the client could not read.
    func head(
        _ head: HTTPRequestHead, authority: String, requestID: String, clientAddress: String?, into out: inout ByteBuffer
    ) throws(Refusal) {
        out.writeString(head.method.rawValue)
        out.writeStaticString(" ")
        out.writeString(head.uri)
        out.writeStaticString(head.version.minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
        var originalHost: String?
        var forwardedFor: String?
        for (name, value) in head.headers {
            switch ProxiedHeader(name) {
            case .other:
                // The body is framed anew below: a Content-Length beside chunked framing would contradict it.
                if self.chunked, name.utf8.count == 14, ProxiedHeader.isContentLength(name) { continue }
                try Self.write(name, value, into: &out)
            case .host: originalHost = originalHost ?? value
            case .forwardedFor: forwardedFor = forwardedFor ?? value
            case .hopByHop, .requestID, .forwardedHost, .forwardedProto: break
            }
        }
        try Self.write("Host", authority, into: &out)
        try Self.write("X-Request-ID", requestID, into: &out)
        if let clientAddress {
            try Self.write("X-Forwarded-For", forwardedFor.map { "\($0), \(clientAddress)" } ?? clientAddress, into: &out)
        } else if let forwardedFor {
            try Self.write("X-Forwarded-For", forwardedFor, into: &out)
        }
        if let originalHost { try Self.write("X-Forwarded-Host", originalHost, into: &out) }
        out.writeStaticString("X-Forwarded-Proto: http\r\n\r\n")
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
