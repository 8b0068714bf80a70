import Crypto
import Foundation

/// Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
public enum WebhookSignature {
    /// The signature header value for one delivery.
    public static func sign(id: String, timestamp: Int64, body: Data, secret: String) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Self.keyBytes(secret)))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Checks a `webhook-signature` header (which may list several space-separated signatures).
    public static func verify(header: String, id: String, timestamp: Int64, body: Data, secret: String) -> Bool {
        let expected = Self.sign(id: id, timestamp: timestamp, body: body, secret: secret)
        return header.split(separator: " ").contains { SecretHasher.constantTimeEquals(String($0), expected) }
    }

    /// `whsec_`-prefixed secrets carry base64 key bytes, as Standard Webhooks defines; others are used as text.
    static func keyBytes(_ secret: String) -> Data {
        if secret.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.dropFirst(6))) {
            return decoded
        }
        return Data(secret.utf8)
    }
}
