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
    /// What the configuration asked for that was out of range, and what is used instead (logged at start-up).
    var adjustments: [String] = []

    /// The least time a lease outlasts a send's timeout by: recording the answer must fit in it too (decision 215).
    static let leaseMargin: Double = 15

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
        self.carrierTimeout = Self.bounded(
            reader.double(forKey: "carriers.timeout", default: 10), "carriers.timeout", 0.1...600, 10, &self.adjustments)
        var base = reader.string(forKey: "carriers.callbackBaseURL", default: "http://127.0.0.1:8080")
        while base.hasSuffix("/") { base.removeLast() }
        self.callbackBaseURL = base
        self.pollInterval = Self.bounded(
            reader.double(forKey: "unichannel.pollInterval", default: 1), "unichannel.pollInterval", 0.01...3600, 1, &self.adjustments)
        // A lease shorter than a send can take would let a second dispatcher send the message again while the first waits.
        let leastLease = self.carrierTimeout + Self.leaseMargin
        var lease = Self.bounded(
            reader.double(forKey: "unichannel.leaseSeconds", default: 60), "unichannel.leaseSeconds", 0.1...86_400, 60, &self.adjustments)
        if lease < leastLease {
            self.adjustments.append("unichannel.leaseSeconds \(lease) is under carriers.timeout + \(Self.leaseMargin) s: \(leastLease) is used")
            lease = leastLease
        }
        self.leaseSeconds = lease
        let concurrency = reader.int(forKey: "unichannel.concurrency", default: 16)
        self.concurrency = min(max(1, concurrency), 256)
        if self.concurrency != concurrency {
            self.adjustments.append("unichannel.concurrency \(concurrency) is out of 1...256: \(self.concurrency) is used")
        }
        var schedule = reader.doubleArray(forKey: "unichannel.retrySchedule", default: [5, 30, 120, 600])
        for (index, delay) in schedule.enumerated() {
            schedule[index] = Self.bounded(delay, "unichannel.retrySchedule[\(index)]", 0...86_400, 60, &self.adjustments)
        }
        self.retrySchedule = schedule
        self.telnyxTolerance = Self.bounded(
            reader.double(forKey: "carriers.telnyx.tolerance", default: 300), "carriers.telnyx.tolerance", 1...3600, 300, &self.adjustments)
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

    /// `value` when it is finite and in `range`; otherwise the nearest bound (or `fallback` when not finite), noted in `adjustments`.
    /// Every duration ends up as whole milliseconds in an `Int64`: an infinite or huge one would trap there.
    static func bounded(_ value: Double, _ key: String, _ range: ClosedRange<Double>, _ fallback: Double, _ adjustments: inout [String]) -> Double {
        let used = value.isFinite ? min(max(value, range.lowerBound), range.upperBound) : fallback
        if used != value { adjustments.append("\(key) \(value) is out of \(range): \(used) is used") }
        return used
    }

    /// The status callback URL a carrier is given for one message: the channel account (whose key checks the
    /// signature) and the message are in the path, so a report that arrives before the send's answer still finds it.
    func statusCallbackURL(carrier: CarrierKind, channelAccountID: String, messageID: String) -> String {
        "\(self.callbackBaseURL)\(UnichannelRoutes.prefix)/carrierCallbacks/\(carrier.rawValue)/\(channelAccountID)/\(messageID)"
    }
}
