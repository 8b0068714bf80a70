import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// Credentials an upstream has accepted, as keyed hashes, so rate limits can tell a principal's own requests
/// from guesses. A credential becomes known when an upstream answers a request carrying it with anything but
/// 401 or 403, and is forgotten on a 401; until then its requests count against the client address, so a
/// client that sends a new wrong credential each time is limited like any other client.
///
/// Nothing is stored in clear: each entry is 128 bits of SHA-256 over a 256-bit secret made at start-up (kept
/// nowhere else) followed by the credential. A keyed prefix rather than HMAC: these are equality fingerprints,
/// never verified MACs, and HMAC's key set-up per request was 4% of the gateway's CPU (perf sampling).
///
/// The set is bounded: two generations of at most `capacity / 2` entries, the older
/// dropped when the newer fills, and an entry found in the older one moved to the newer, so the credentials
/// in use stay known.
final class KnownCredentials: Sendable {
    /// One credential's keyed hash.
    struct Fingerprint: Hashable, Sendable {
        let high: UInt64
        let low: UInt64
    }

    private struct Generations {
        var current: Set<Fingerprint> = []
        var previous: Set<Fingerprint> = []
    }

    private let secret: [UInt8] = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
    private let generations = NIOLockedValueBox(Generations())
    private let generationSize: Int

    init(capacity: Int) {
        self.generationSize = max(1, capacity / 2)
    }

    /// The fingerprint of what a request presents as its credential (every header a service reads one from,
    /// together: the service picks which), or nil when it presents none.
    func fingerprint(_ headers: HTTPHeaders) -> Fingerprint? {
        self.fingerprint(authorization: headers.first(name: "authorization"), token: headers.first(name: "api_access_token"))
    }

    /// The fingerprint of an `Authorization` and an `api_access_token` value, nil when both are absent.
    func fingerprint(authorization: String?, token: String?) -> Fingerprint? {
        guard authorization != nil || token != nil else { return nil }
        var hash = SHA256()
        hash.update(data: self.secret)
        Self.update(&hash, authorization ?? "")
        Self.update(&hash, "\0")  // separates the two values, so moving bytes between them changes the hash
        Self.update(&hash, token ?? "")
        return hash.finalize().withUnsafeBytes { bytes in
            Fingerprint(high: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), low: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    private static func update(_ hash: inout SHA256, _ text: String) {
        var text = text
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    func contains(_ fingerprint: Fingerprint) -> Bool {
        self.generations.withLockedValue { generations in
            if generations.current.contains(fingerprint) { return true }
            guard generations.previous.remove(fingerprint) != nil else { return false }
            Self.insert(fingerprint, into: &generations, limit: self.generationSize)
            return true
        }
    }

    func learn(_ fingerprint: Fingerprint) {
        self.generations.withLockedValue { generations in
            guard !generations.current.contains(fingerprint) else { return }
            generations.previous.remove(fingerprint)
            Self.insert(fingerprint, into: &generations, limit: self.generationSize)
        }
    }

    func forget(_ fingerprint: Fingerprint) {
        self.generations.withLockedValue { generations in
            generations.current.remove(fingerprint)
            generations.previous.remove(fingerprint)
        }
    }

    private static func insert(_ fingerprint: Fingerprint, into generations: inout Generations, limit: Int) {
        if generations.current.count >= limit {
            generations.previous = generations.current
            generations.current = []
        }
        generations.current.insert(fingerprint)
    }
}
