import Foundation
import NIOCore
import NIOPosix

/// Refuses webhook targets on loopback, private, link-local, unique-local, multicast and metadata addresses,
/// so a subscriber cannot make Switchboard reach into its own network (SSRF).
///
/// The host is looked up once, here, and delivery connects to an address from that answer (``VettedTarget``):
/// a name whose DNS answers a public address to the check and a private one to the connection (DNS rebinding)
/// still reaches only the address that was checked.
public struct TargetGuard: Sendable {
    /// Looks a host name up: every address it has for `port`.
    public typealias Resolver = @Sendable (_ host: String, _ port: Int) async throws -> [SocketAddress]

    public let allowPrivateNetworks: Bool
    let resolver: Resolver

    /// A guard that looks names up with the system resolver (`getaddrinfo`, on NIO's thread pool).
    public init(allowPrivateNetworks: Bool) {
        self.init(allowPrivateNetworks: allowPrivateNetworks) { host, port in
            try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host, port: port) }
        }
    }

    /// A guard that looks names up with `resolver` (tests answer for names of their own).
    public init(allowPrivateNetworks: Bool, resolver: @escaping Resolver) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.resolver = resolver
    }

    /// Where `url` may be reached: its host's addresses, each vetted (all of them must pass, unless private
    /// networks are allowed). Throws ``TargetRefused`` for a target that may never be called, and
    /// ``TargetUnresolved`` when the name has no address now (that may pass later).
    public func vet(_ url: String) async throws -> VettedTarget {
        // The host as AsyncHTTPClient reads it (`URL.host`, brackets dropped), so a pinned name is the one it connects for.
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let rawHost = parsed.host, !rawHost.isEmpty
        else {
            throw TargetRefused(reason: "target URL must be an absolute http or https URL")
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        let addresses: [SocketAddress]
        let isLiteral: Bool
        if let literal = try? SocketAddress(ipAddress: host, port: port) {
            (addresses, isLiteral) = ([literal], true)
        } else {
            do {
                addresses = try await self.resolver(host, port)
            } catch {
                throw TargetUnresolved(host: host)
            }
            isLiteral = false
        }
        var vetted: [String] = []
        for address in addresses {
            if !self.allowPrivateNetworks && Self.isInternal(address) {
                throw TargetRefused(reason: "\(host) resolves to a private or loopback address; set webhooks.allowPrivateNetworks to allow it")
            }
            if let text = address.ipAddress, !vetted.contains(text) { vetted.append(text) }
        }
        guard !vetted.isEmpty else { throw TargetUnresolved(host: host) }
        return VettedTarget(url: url, host: host, isLiteral: isLiteral, addresses: vetted)
    }

    /// The system resolver's answer (blocking: run it off the event loops).
    static func resolve(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw TargetUnresolved(host: host)
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

    /// True for every address a public webhook receiver would never have. Judged from the address's text, not the
    /// `sockaddr` fields: which C module owns those depends on the build order (a clean build saw CNIOLinux's).
    static func isInternal(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4:
            guard let octets = Self.octets(ipv4: address.ipAddress ?? "") else { return true }
            switch (octets[0], octets[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, let second) where (16...31).contains(second): return true
            case (100, let second) where (64...127).contains(second): return true  // carrier-grade NAT
            default: return octets[0] >= 224  // multicast and reserved
            }
        case .v6:
            var bytes = [UInt8](repeating: 0, count: 16)
            guard let text = address.ipAddress, bytes.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 else {
                return true
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                // IPv4-mapped: judge the IPv4 address.
                let mapped = bytes[12...].map(String.init).joined(separator: ".")
                guard let v4 = try? SocketAddress(ipAddress: mapped, port: 0) else { return true }
                return isInternal(v4)
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

/// A webhook target that passed the guard: the URL as given, and the addresses its host had when it was vetted.
/// Delivery connects to one of these addresses, never to the answer of a later lookup.
public struct VettedTarget: Sendable, Equatable {
    public let url: String
    /// The URL's host, IPv6 brackets dropped.
    public let host: String
    /// True when the host is an IP address: the URL itself then names the only address.
    public let isLiteral: Bool
    /// The vetted addresses as text, in the resolver's order, without repeats; never empty.
    public let addresses: [String]

    /// The address the `attempt`th attempt (from 1) connects to: the first, then the next one on each retry, so a
    /// host with one unreachable address is still reached.
    public func address(forAttempt attempt: Int) -> String {
        self.addresses[max(0, attempt - 1) % self.addresses.count]
    }
}

/// Why a webhook target was refused: calling it cannot be allowed, so retrying cannot help.
public struct TargetRefused: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "target refused: \(reason)" }
}

/// A target whose host name has no address now; a later attempt may find one.
public struct TargetUnresolved: Error, CustomStringConvertible, Sendable {
    public let host: String
    public var description: String { "cannot resolve \(host)" }
}

extension TargetGuard {
    /// The four octets of dotted IPv4 text, or nil.
    static func octets(ipv4 text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }
}
