import Crypto
import CryptoExtras
import Foundation

/// Hashing and comparison of stored secrets. Nothing secret is ever stored or compared in the clear.
public enum SecretHasher {
    /// SHA-256 of a high-entropy secret (API key, access token), hex: deterministic so it can be looked up.
    public static func tokenHash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lower-case hex of a digest, by table: `String(format:)` per byte costs more than the hash on Linux.
    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(SHA256.Digest.byteCount * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// PBKDF2-SHA256 with a random salt for a password a person chose: `pbkdf2-sha256$rounds$salt$hash`.
    public static func passwordHash(_ password: String, rounds: Int = 210_000) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let key = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Checks a password against a `passwordHash` result in constant time.
    public static func verifyPassword(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            let actual = try? derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        return constantTimeEquals(Array(actual), Array(expected))
    }

    /// Compares two byte strings without leaking where they differ.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEquals(Array(lhs.utf8), Array(rhs.utf8))
    }

    /// A new random secret: 32 bytes, URL-safe base64 without padding.
    public static func randomToken(bytes: Int = 32) -> String {
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds
        )
        return key.withUnsafeBytes { Data($0) }
    }
}
