import NIOHTTP1

/// The headers the proxy drops or rewrites, told apart in one look at a name's bytes in any ASCII case.
/// Hop-by-hop: the headers that describe one connection, not the message (RFC 9110 §7.6.1). Transfer-Encoding stays:
/// it frames the body, which passes through as it came.
enum ProxiedHeader: Equatable {
    case hopByHop, host, requestID, forwardedFor, forwardedHost, forwardedProto, other

    private static let names: [(StaticString, ProxiedHeader)] = [
        ("connection", .hopByHop), ("keep-alive", .hopByHop), ("proxy-authenticate", .hopByHop), ("proxy-authorization", .hopByHop),
        ("te", .hopByHop), ("trailer", .hopByHop), ("upgrade", .hopByHop), ("host", .host), ("x-request-id", .requestID),
        ("x-forwarded-for", .forwardedFor), ("x-forwarded-host", .forwardedHost), ("x-forwarded-proto", .forwardedProto),
    ]

    init(_ name: String) {
        var name = name
        self = name.withUTF8 { Self(UnsafeRawBufferPointer($0)) }
    }

    init(_ name: UnsafeRawBufferPointer) {
        for (candidate, kind) in Self.names where ASCII.equal(name, lowered: candidate) {
            self = kind
            return
        }
        self = .other
    }

    static func isContentLength(_ name: String) -> Bool {
        ASCII.equal(name, lowered: "content-length")
    }
}

/// What the proxy reads from a request's headers, found in one pass over them.
struct RequestHeaderFacts {
    var requestID: String?
    var authorization: String?
    var token: String?
    /// The Content-Length, when it is a number.
    var contentLength: Int?
    var transferEncoding = false
    /// `Connection: upgrade` with an `Upgrade` header: NIO's parser reads nothing after such a request, so its
    /// connection carries no other (it is closed after any answer but a 101).
    var upgrade = false

    init(_ headers: HTTPHeaders) {
        var connectionUpgrade = false
        var upgradeHeader = false
        for (name, value) in headers {
            if ASCII.equal(name, lowered: "x-request-id") {
                self.requestID = self.requestID ?? value
            } else if ASCII.equal(name, lowered: "authorization") {
                self.authorization = self.authorization ?? value
            } else if ASCII.equal(name, lowered: "api_access_token") {
                self.token = self.token ?? value
            } else if ASCII.equal(name, lowered: "content-length") {
                self.contentLength = self.contentLength ?? Int(value)
            } else if ASCII.equal(name, lowered: "transfer-encoding") {
                self.transferEncoding = true
            } else if ASCII.equal(name, lowered: "connection") {
                connectionUpgrade = connectionUpgrade || Self.hasToken(value, "upgrade")
            } else if ASCII.equal(name, lowered: "upgrade") {
                upgradeHeader = true
            }
        }
        self.upgrade = connectionUpgrade && upgradeHeader
    }

    /// Whether `head` asks to become a websocket (RFC 6455 §4.1): GET over HTTP/1.1 with `Connection: upgrade` and
    /// `Upgrade: websocket`.
    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .GET, head.version == .http1_1 else { return false }
        return head.headers["connection"].contains { Self.hasToken($0, "upgrade") }
            && head.headers["upgrade"].contains { Self.hasToken($0, "websocket") }
    }

    /// Whether a comma-separated header value lists `token` (in any ASCII case).
    static func hasToken(_ value: String, _ token: StaticString) -> Bool {
        // A token holds no whitespace: what there is surrounds it.
        value.split(separator: ",").contains { ASCII.equal(String($0.filter { $0 != " " && $0 != "\t" }), lowered: token) }
    }
}

/// The byte comparisons the proxy makes on names and framing, in any ASCII case.
enum ASCII {
    /// `byte` lowercased if it is an ASCII capital letter.
    static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether `bytes` are `lowered` in any ASCII case.
    static func equal(_ bytes: UnsafeRawBufferPointer, lowered: StaticString) -> Bool {
        guard bytes.count == lowered.utf8CodeUnitCount else { return false }
        let expected = lowered.utf8Start
        for index in 0..<bytes.count where Self.lowered(bytes[index]) != expected[index] { return false }
        return true
    }

    /// Whether `name` is `lowered` in any ASCII case.
    static func equal(_ name: String, lowered: StaticString) -> Bool {
        guard name.utf8.count == lowered.utf8CodeUnitCount else { return false }
        var name = name
        return name.withUTF8 { Self.equal(UnsafeRawBufferPointer($0), lowered: lowered) }
    }

    /// The value of a hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
