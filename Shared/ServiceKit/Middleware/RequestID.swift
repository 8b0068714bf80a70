import Atomics
import Foundation
import HTTPTypes

extension HTTPField.Name {
    public static let requestID = Self("X-Request-ID")!
    public static let idempotencyKey = Self("Idempotency-Key")!
    public static let internalToken = Self("X-Internal-Token")!
}

/// Request ids: the caller's `X-Request-ID` when it is sane, or a new one (``EdgeMiddleware`` sets it on the context
/// and echoes it on the response; the gateway does the same for what it forwards).
public enum RequestID {
    /// A new id, shaped as a version 4 UUID in lowercase: a process-wide counter mixed with two random seeds
    /// (SplitMix64, a bijection, so ids never repeat within a process). Unique, not secret, and free of system
    /// calls: Foundation's `UUID()` opens /dev/urandom and formats with sprintf on every call on Linux.
    public static func make() -> String {
        let count = requestIDCounter.loadThenWrappingIncrement(ordering: .relaxed)
        let high = splitMix64(requestIDSeeds.high &+ count) & ~0xF000 | 0x4000  // version 4
        let low = splitMix64(requestIDSeeds.low &+ count) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000  // RFC 9562 variant
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var length = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[length] = UInt8(ascii: "-")
                    length += 1
                }
                let word = nibble < 16 ? high : low
                buffer[length] = hexDigits[Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16)) & 0xF)]
                length += 1
            }
            return length
        }
    }

    /// A caller's id is kept only if it is short and printable, so logs cannot be forged through it.
    public static func accept(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.count <= 128,
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return value
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
private let requestIDCounter = ManagedAtomic<UInt64>(0)
private let requestIDSeeds = (high: UInt64.random(in: .min ... .max), low: UInt64.random(in: .min ... .max))

private func splitMix64(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
