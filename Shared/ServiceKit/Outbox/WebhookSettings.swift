import Configuration

/// How the webhook deliverer behaves.
public struct WebhookSettings: Sendable {
    /// Delay before each attempt, in seconds: the first is the initial delivery, each later one a retry.
    public var retrySchedule: [Double]
    /// A delivery succeeds only with a 2xx within this many seconds.
    public var timeout: Double
    public var pollInterval: Double
    /// How long a claimed event is reserved for the worker that claimed it.
    public var leaseSeconds: Double
    public var concurrency: Int
    public var allowPrivateNetworks: Bool

    /// Reads:
    /// - `webhooks.retrySchedule` (double array, seconds; default `0,5,300,1800,7200,18000,36000,36000`)
    /// - `webhooks.timeout` (double, seconds, default 15)
    /// - `webhooks.pollInterval` (double, seconds, default 1)
    /// - `webhooks.leaseSeconds` (double, default 60)
    /// - `webhooks.concurrency` (int, default 8)
    /// - `webhooks.allowPrivateNetworks` (bool, default false): allow loopback and private targets
    public init(reader: ConfigReader) {
        self.retrySchedule = reader.doubleArray(forKey: "webhooks.retrySchedule", default: [0, 5, 300, 1800, 7200, 18000, 36000, 36000])
        self.timeout = reader.double(forKey: "webhooks.timeout", default: 15)
        self.pollInterval = reader.double(forKey: "webhooks.pollInterval", default: 1)
        self.leaseSeconds = reader.double(forKey: "webhooks.leaseSeconds", default: 60)
        self.concurrency = reader.int(forKey: "webhooks.concurrency", default: 8)
        self.allowPrivateNetworks = reader.bool(forKey: "webhooks.allowPrivateNetworks", default: false)
    }
}
