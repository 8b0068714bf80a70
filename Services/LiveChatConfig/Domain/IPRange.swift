import Foundation
import WireModels

/// An address block a ban covers: one address, a CIDR block or a dash range, IPv4 or IPv6, compared as
/// 128-bit integers (IPv4 mapped into IPv6 as `::ffff:a.b.c.d`).
struct IPRange: Equatable, Sendable {
    let lower: UInt128
    let upper: UInt128

    /// Parses the three forms the seed documents (`192.168.8.113`, `192.168.8.0/24`, `192.168.8.0-192.168.8.255`);
    /// nil for anything else, a reversed range or a prefix out of bounds.
    init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let slash = text.firstIndex(of: "/") {
            guard let (base, isV4) = Self.address(String(text[..<slash])), let prefix = Int(text[text.index(after: slash)...]) else { return nil }
            let bits = isV4 ? prefix + 96 : prefix
            guard prefix >= 0, prefix <= (isV4 ? 32 : 128) else { return nil }
            let hostMask: UInt128 = bits >= 128 ? 0 : (UInt128.max >> bits)
            self.lower = base & ~hostMask
            self.upper = base | hostMask
        } else if let dash = text.firstIndex(of: "-") {
            guard let (low, lowV4) = Self.address(String(text[..<dash]).trimmingCharacters(in: .whitespaces)),
                let (high, highV4) = Self.address(String(text[text.index(after: dash)...]).trimmingCharacters(in: .whitespaces)),
                lowV4 == highV4, low <= high
            else { return nil }
            self.lower = low
            self.upper = high
        } else {
            guard let (address, _) = Self.address(text) else { return nil }
            self.lower = address
            self.upper = address
        }
    }

    func contains(_ address: String) -> Bool {
        guard let (value, _) = Self.address(address) else { return false }
        return self.lower <= value && value <= self.upper
    }

    /// An address as a 128-bit integer, and whether it was written as IPv4.
    static func address(_ text: String) -> (UInt128, Bool)? {
        // Parsed into bytes, not `in_addr` fields: which C module owns those depends on the build order.
        let value = { (bytes: [UInt8]) in bytes.reduce(UInt128(0)) { ($0 << 8) | UInt128($1) } }
        var v4 = [UInt8](repeating: 0, count: 4)
        if v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 {
            return ((UInt128(0xFFFF) << 32) | value(v4), true)
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        guard v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 else { return nil }
        return (value(v6), false)
    }
}

extension LiveChatBan {
    /// Whether it bans the visitor: a visitor ban by the visitor's id, an IP ban when its block holds the address.
    func bans(visitorId: String, ip: String?) -> Bool {
        if self.type == "visitor", let banned = self.visitorId { return visitorId == banned }
        guard let ip, let range = self.ipAddress.flatMap(IPRange.init) else { return false }
        return range.contains(ip)
    }
}
