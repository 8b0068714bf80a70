import NIOHTTP1

/// A request's target, checked against RFC 9112 §3.2 and RFC 3986 before anything is forwarded.
///
/// NIO's parser accepts targets that its own outbound validator then refuses (`|`, `\`, `^`, `{`, `"`, `<`...):
/// unchecked, such a target failed on the gateway's upstream connection and counted against the upstream's
/// breaker. Whatever passes here can be written to an upstream; whatever does not is the client's 400.
struct RequestTarget {
    /// The target in origin-form (path and query): what the router matches and the upstream receives.
    let uri: String
    /// The authority of an absolute-form target, which stands in for `Host` (RFC 9112 §3.2.2).
    let authority: String?

    /// Accepts origin-form, absolute-form (`http` and `https`) and, for OPTIONS, asterisk-form; nil otherwise.
    init?(_ raw: String, method: HTTPMethod) {
        var bytes = raw.utf8[...]
        if bytes.first == UInt8(ascii: "/") {
            guard Self.isPathAndQuery(bytes) else { return nil }
            self.uri = raw
            self.authority = nil
        } else if raw == "*" {
            guard method == .OPTIONS else { return nil }
            self.uri = raw
            self.authority = nil
        } else {
            // absolute-form: scheme "://" authority path-abempty [ "?" query ]
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
            guard scheme == "http" || scheme == "https", bytes[colon...].starts(with: "://".utf8) else { return nil }
            bytes = bytes[bytes.index(colon, offsetBy: 3)...]
            let end = bytes.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.endIndex
            guard Self.isAuthority(bytes[..<end]) else { return nil }
            let rest = bytes[end...]
            guard Self.isPathAndQuery(rest) else { return nil }
            self.authority = String(decoding: bytes[..<end], as: UTF8.self)
            let path = String(decoding: rest, as: UTF8.self)
            self.uri = path.first == "/" ? path : "/" + path
        }
    }

    /// `absolute-path [ "?" query ]` (or an empty path before the query): pchars, well-formed escapes, no
    /// fragment. A percent-decoded path must be UTF-8 without control characters: nothing else names a route.
    private static func isPathAndQuery(_ bytes: Substring.UTF8View) -> Bool {
        var inQuery = false
        var escapedPath = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "%"):
                let first = bytes.index(after: index)
                guard first < bytes.endIndex, bytes[first].isHexDigit else { return false }
                let second = bytes.index(after: first)
                guard second < bytes.endIndex, bytes[second].isHexDigit else { return false }
                if !inQuery { escapedPath = true }
                index = second
            case UInt8(ascii: "?"):
                inQuery = true
            case UInt8(ascii: "/"):
                break
            case UInt8(ascii: "["),
                UInt8(ascii: "]") where inQuery:
                // Not RFC 3986 query characters, but clients send them raw (`conditions[0][field]` in Comm100's
                // own examples, PHP-style arrays), and NIO writes them to the upstream unchanged.
                break
            default:
                guard byte.isPathCharacter else { return false }
            }
            index = bytes.index(after: index)
        }
        return (!escapedPath || Self.isDecodablePath(bytes)) && !Self.hasDotSegment(bytes)
    }

    /// Whether the path has a `.` or `..` segment, escaped or not (`%2e`). No API names one, and a service or proxy
    /// that resolved it would route the request elsewhere than the gateway's prefix table (and its rate limits) did.
    private static func hasDotSegment(_ bytes: Substring.UTF8View) -> Bool {
        var dots = 0
        var other = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") {
                if !other, dots == 1 || dots == 2 { return true }
                if byte == UInt8(ascii: "?") { return false }
                dots = 0
                other = false
            } else if byte == UInt8(ascii: "."), !other {
                dots += 1
            } else if byte == UInt8(ascii: "%"), bytes.distance(from: index, to: bytes.endIndex) >= 3,
                bytes[bytes.index(index, offsetBy: 1)] == UInt8(ascii: "2"), bytes[bytes.index(index, offsetBy: 2)] | 0x20 == UInt8(ascii: "e")
            {
                if !other { dots += 1 }
                index = bytes.index(index, offsetBy: 2)
            } else {
                other = true
            }
            index = bytes.index(after: index)
        }
        return !other && (dots == 1 || dots == 2)
    }

    private static func isDecodablePath(_ bytes: Substring.UTF8View) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "?") {
            if bytes[index] == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                let second = bytes.index(after: first)
                decoded.append(bytes[first].hexValue << 4 | bytes[second].hexValue)
                index = bytes.index(after: second)
            } else {
                decoded.append(bytes[index])
                index = bytes.index(after: index)
            }
        }
        guard decoded.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else { return false }
        return String(validating: decoded, as: UTF8.self) != nil
    }

    /// `host [ ":" port ]` with a registered name, IPv4 address or bracketed IP literal; no userinfo
    /// (RFC 9110 §4.2.4 has recipients treat it as an error).
    private static func isAuthority(_ bytes: Substring.UTF8View) -> Bool {
        guard !bytes.isEmpty else { return false }
        var hostEnd = bytes.endIndex
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
            hostEnd = bytes.index(after: close)
            guard hostEnd == bytes.endIndex || bytes[hostEnd] == UInt8(ascii: ":") else { return false }
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let host = bytes[..<hostEnd]
            guard !host.isEmpty, host.allSatisfy({ $0.isUnreserved || $0.isSubDelimiter }) else { return false }
        }
        guard hostEnd < bytes.endIndex else { return true }
        let port = bytes[bytes.index(after: hostEnd)...]
        return port.count <= 5 && port.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

extension UInt8 {
    /// RFC 3986 `unreserved`.
    fileprivate var isUnreserved: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// RFC 3986 `sub-delims`.
    fileprivate var isSubDelimiter: Bool {
        switch self {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default: false
        }
    }

    /// RFC 3986 `pchar` apart from escapes (`/` and `?` are the caller's).
    fileprivate var isPathCharacter: Bool {
        self.isUnreserved || self.isSubDelimiter || self == UInt8(ascii: ":") || self == UInt8(ascii: "@")
    }

    fileprivate var isHexDigit: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    fileprivate var hexValue: UInt8 {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        default: self - UInt8(ascii: "A") + 10
        }
    }
}
