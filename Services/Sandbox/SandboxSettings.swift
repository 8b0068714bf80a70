import Configuration
import Crypto
import Foundation

/// The Sandbox's accounts and timings.
struct SandboxSettings: Sendable {
    var host: String
    var port: Int
    var twilioAccountSID: String
    var twilioAuthToken: String
    var telnyxAPIKey: String
    /// The key Telnyx webhooks are signed with; its public half is served at `GET /sandbox/telnyx/public-key`.
    var telnyxSigningKey: Curve25519.Signing.PrivateKey
    /// Whether the signing key came from configuration (else it was made for this run).
    var signingKeyConfigured: Bool
    /// Before each status callback.
    var callbackDelay: Duration
    /// Attempts per callback, and the wait before the second (doubling after).
    var callbackAttempts: Int
    var retryDelay: Duration
    var callbackTimeout: Duration
    /// Messages kept for `GET /sandbox/messages` (the oldest go first).
    var keep: Int
    /// The SMTP receiver's port (0: none), and the credentials AUTH must give (nil: any).
    var smtpPort: Int
    var smtpUsername: String?
    var smtpPassword: String?

    /// The credentials' defaults are this stand-in's own well-known demo values, published in this repository so a fresh
    /// install and `scripts/run` deliver without setup; they are not, and must never be, a real Twilio or Telnyx
    /// account's. A Sandbox reachable beyond a laptop is given its own.
    ///
    /// Reads:
    /// - `http.host` (string, default `127.0.0.1`), `http.port` (int, default 8086)
    /// - `sandbox.twilio.accountSID` (string, default `AC0123456789abcdef0123456789abcdef`),
    ///   `sandbox.twilio.authToken` (string, secret, default `sandbox-twilio-auth-token`)
    /// - `sandbox.telnyx.apiKey` (string, secret, default `KEYsandbox-telnyx-api-key`)
    /// - `sandbox.telnyx.signingKey` (string, secret, optional): base64 of a 32-byte Ed25519 private key; without it a
    ///   key is made at start and its public half logged
    /// - `sandbox.callbackDelay` (double, seconds, default 0.05), `sandbox.callbackAttempts` (int, default 4),
    ///   `sandbox.retryDelay` (double, seconds, default 0.5), `sandbox.callbackTimeout` (double, seconds, default 5)
    /// - `sandbox.keep` (int, default 10000)
    /// - `sandbox.smtp.port` (int, default 0: no SMTP receiver; scripts/run gives 2525), `sandbox.smtp.username` (string, optional) and
    ///   `sandbox.smtp.password` (string, secret, optional): with both, AUTH must give them
    init(reader: ConfigReader) throws {
        self.host = reader.string(forKey: "http.host", default: "127.0.0.1")
        self.port = reader.int(forKey: "http.port", default: 8086)
        self.twilioAccountSID = reader.string(forKey: "sandbox.twilio.accountSID", default: "AC0123456789abcdef0123456789abcdef")
        self.twilioAuthToken = reader.string(forKey: "sandbox.twilio.authToken", isSecret: true, default: "sandbox-twilio-auth-token")
        self.telnyxAPIKey = reader.string(forKey: "sandbox.telnyx.apiKey", isSecret: true, default: "KEYsandbox-telnyx-api-key")
        if let encoded = reader.string(forKey: "sandbox.telnyx.signingKey", isSecret: true) {
            guard let raw = Data(base64Encoded: encoded), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw SandboxConfigurationError(message: "sandbox.telnyx.signingKey is not the base64 of a 32-byte Ed25519 private key")
            }
            self.telnyxSigningKey = key
            self.signingKeyConfigured = true
        } else {
            self.telnyxSigningKey = Curve25519.Signing.PrivateKey()
            self.signingKeyConfigured = false
        }
        self.callbackDelay = .seconds(max(0, reader.double(forKey: "sandbox.callbackDelay", default: 0.05)))
        self.callbackAttempts = max(1, reader.int(forKey: "sandbox.callbackAttempts", default: 4))
        self.retryDelay = .seconds(max(0, reader.double(forKey: "sandbox.retryDelay", default: 0.5)))
        self.callbackTimeout = .seconds(max(0.001, reader.double(forKey: "sandbox.callbackTimeout", default: 5)))
        self.keep = max(1, reader.int(forKey: "sandbox.keep", default: 10000))
        self.smtpPort = reader.int(forKey: "sandbox.smtp.port", default: 0)
        self.smtpUsername = reader.string(forKey: "sandbox.smtp.username")
        self.smtpPassword = reader.string(forKey: "sandbox.smtp.password", isSecret: true)
    }

    /// The public key Telnyx customers configure to verify webhooks (base64 of its 32 bytes).
    var telnyxPublicKey: String { self.telnyxSigningKey.publicKey.rawRepresentation.base64EncodedString() }
}

/// A setting the Sandbox cannot start with.
struct SandboxConfigurationError: Error, CustomStringConvertible {
    let message: String
    var description: String { self.message }
}

/// What a destination number makes the Sandbox do (by its last four digits).
enum Outcome: String, Codable, Sendable {
    case delivered, failed, undelivered
    /// The send itself answers 503.
    case unavailable
    /// The send answers 200 with a body that is not the carrier's JSON.
    case garbage

    init(destination: String) {
        switch String(destination.suffix(4)) {
        case "0000": self = .failed
        case "9999": self = .undelivered
        case "5030": self = .unavailable
        case "4220": self = .garbage
        default: self = .delivered
        }
    }
}
