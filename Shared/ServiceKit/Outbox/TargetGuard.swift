import Foundation
import NIOCore
import NIOPosix

/// Refuses webhook targets on loopback, private, link-local, unique-local, multicast and metadata addresses,
/// so a subscriber cannot make Switchboard reach into its own network (SSRF).
public struct TargetGuard: Sendable {
    public let allowPrivateNetworks: Bool

    public init(allowPrivateNetworks: Bool) {
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    /// Throws a description of why `url` may not be called.
    public func check(_ url: String) async throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw TargetRefused(reason: "target URL must be an absolute http or https URL")
        }
        if self.allowPrivateNetworks { return }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses: [SocketAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(bareHost, port: port) }
        } catch {
            throw TargetRefused(reason: "cannot resolve \(bareHost)")
        }
        for address in addresses where Self.isInternal(address) {
            throw TargetRefused(reason: "\(bareHost) resolves to a private or loopback address; set webhooks.allowPrivateNetworks to allow it")
        }
    }

    static func resolve(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw TargetRefused(reason: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = info.pointee.ai_addr {
                switch Int32(info.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                default:
                    break
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    /// True for every address a public webhook receiver would never have.
    static func isInternal(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            let value = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            let octets = (UInt8(value >> 24), UInt8((value >> 16) & 0xFF))
            switch octets {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, let second) where (16...31).contains(second): return true
            case (100, let second) where (64...127).contains(second): return true  // carrier-grade NAT
            default: return octets.0 >= 224  // multicast and reserved
            }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                // IPv4-mapped: judge the IPv4 address.
                let mapped = (UInt32(bytes[12]) << 24) | (UInt32(bytes[13]) << 16) | (UInt32(bytes[14]) << 8) | UInt32(bytes[15])
                var v4 = sockaddr_in()
                v4.sin_family = sa_family_t(AF_INET)
                v4.sin_addr.s_addr = mapped.bigEndian
                return isInternal(SocketAddress(v4, host: ""))
            }
            if bytes[0] & 0xFE == 0xFC { return true }  // unique local fc00::/7
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }  // link-local fe80::/10
            if bytes[0] == 0xFF { return true }  // multicast
            return false
        case .unixDomainSocket:
            return true
        }
    }
}

/// Why a webhook target was refused.
public struct TargetRefused: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "target refused: \(reason)" }
}
