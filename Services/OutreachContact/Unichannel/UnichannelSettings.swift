import Carriers
import Configuration
import Foundation

/// How the Outbound Unichannel reaches carriers and is reached by them.
struct UnichannelSettings: Sendable {
    /// Where each carrier's API is (production by default; the Sandbox in tests and `scripts/run`).
    var carrierURLs: [CarrierKind: String]
    /// How long a carrier has to answer a send, in seconds.
    var carrierTimeout: Double
    /// The public base URL carriers call back on (the gateway), without a trailing slash.
    var callbackBaseURL: String
    /// How often the dispatcher looks for due messages when it found none, in seconds.
    var pollInterval: Double
    /// How long a claimed message is the claiming dispatcher's; longer than a send can take.
    var leaseSeconds: Double
    /// Messages one dispatcher sends at once.
    var concurrency: Int
    /// Delays, in seconds, before each new try of a carrier that answered "try later"; then the message fails.
    var retrySchedule: [Double]
    /// How far a Telnyx webhook's timestamp may be from now, in seconds.
    var telnyxTolerance: Double
    /// The demo channel accounts seeded at start-up (only those whose credentials are configured).
    var demoAccounts: [DemoAccount]

    /// A channel account the configuration asks for, seeded into the bootstrap site.
    struct DemoAccount: Sendable {
        var id: String
        var name: String
        var carrier: CarrierKind
        var from: String
        var credentials: CarrierCredentials
    }

    /// The bootstrap site (ARCHITECTURE §4), which the demo channel accounts belong to.
    static let demoSite = "10000"

    /// Reads:
    /// - `carriers.twilio.url` (string, default `https://api.twilio.com`), `carriers.telnyx.url` (default `https://api.telnyx.com`)
    /// - `carriers.timeout` (double, seconds, default 10)
    /// - `carriers.callbackBaseURL` (string, default `http://127.0.0.1:8080`, the gateway)
    /// - `unichannel.pollInterval` (double, seconds, default 1), `unichannel.leaseSeconds` (double, default 60),
    ///   `unichannel.concurrency` (int, default 16), `unichannel.retrySchedule` (double array, seconds, default `5,30,120,600`)
    /// - `carriers.telnyx.tolerance` (double, seconds, default 300)
    /// - `demo.twilio.accountSID`, `demo.twilio.authToken` (secret), `demo.twilio.from` (default `+15005550006`);
    ///   `demo.telnyx.apiKey` (secret), `demo.telnyx.publicKey`, `demo.telnyx.from` (default `+15005550007`)
    init(reader: ConfigReader) {
        self.carrierURLs = [
            .twilio: reader.string(forKey: "carriers.twilio.url", default: CarrierKind.twilio.defaultBaseURL),
            .telnyxsms: reader.string(forKey: "carriers.telnyx.url", default: CarrierKind.telnyxsms.defaultBaseURL),
        ]
        self.carrierTimeout = reader.double(forKey: "carriers.timeout", default: 10)
        var base = reader.string(forKey: "carriers.callbackBaseURL", default: "http://127.0.0.1:8080")
        while base.hasSuffix("/") { base.removeLast() }
        self.callbackBaseURL = base
        self.pollInterval = reader.double(forKey: "unichannel.pollInterval", default: 1)
        self.leaseSeconds = reader.double(forKey: "unichannel.leaseSeconds", default: 60)
        self.concurrency = max(1, reader.int(forKey: "unichannel.concurrency", default: 16))
        self.retrySchedule = reader.doubleArray(forKey: "unichannel.retrySchedule", default: [5, 30, 120, 600])
        self.telnyxTolerance = reader.double(forKey: "carriers.telnyx.tolerance", default: 300)
        var demos: [DemoAccount] = []
        if let sid = reader.string(forKey: "demo.twilio.accountSID"), let token = reader.string(forKey: "demo.twilio.authToken", isSecret: true),
            !sid.isEmpty, !token.isEmpty
        {
            demos.append(
                DemoAccount(
                    id: "5d1c0000-0000-4000-8000-000000000001", name: "Demo SMS (Twilio)", carrier: .twilio,
                    from: reader.string(forKey: "demo.twilio.from", default: "+15005550006"),
                    credentials: CarrierCredentials(accountSID: sid, authToken: token)))
        }
        if let key = reader.string(forKey: "demo.telnyx.apiKey", isSecret: true), let publicKey = reader.string(forKey: "demo.telnyx.publicKey"),
            !key.isEmpty, !publicKey.isEmpty
        {
            demos.append(
                DemoAccount(
                    id: "5d1c0000-0000-4000-8000-000000000002", name: "Demo SMS (Telnyx)", carrier: .telnyxsms,
                    from: reader.string(forKey: "demo.telnyx.from", default: "+15005550007"),
                    credentials: CarrierCredentials(apiKey: key, webhookPublicKey: publicKey)))
        }
        self.demoAccounts = demos
    }

    /// The status callback URL a carrier is given for one message: the channel account (whose key checks the
    /// signature) and the message are in the path, so a report that arrives before the send's answer still finds it.
    func statusCallbackURL(carrier: CarrierKind, channelAccountID: String, messageID: String) -> String {
        "\(self.callbackBaseURL)\(UnichannelRoutes.prefix)/carrierCallbacks/\(carrier.rawValue)/\(channelAccountID)/\(messageID)"
    }
}
