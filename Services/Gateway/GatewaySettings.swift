import Configuration

/// One API's upstream: the prefixes it owns and where its instances are.
struct UpstreamSettings: Sendable {
    var name: String
    var prefixes: [String]
    /// Where a websocket upgrade goes to this upstream (and on its 101 is spliced through); empty: nowhere.
    var webSocketPrefixes: [String] = []
    var urls: [String]
    var connectTimeout: Double
    var timeout: Double
}

/// The gateway's configuration.
struct GatewaySettings: Sendable {
    var upstreams: [UpstreamSettings]
    var maxBodySize: Int
    var requestsPerSecond: Double
    var burst: Double
    var knownCredentials: Int
    var callbackPrefixes: [String]
    var callbackRequestsPerSecond: Double
    var callbackBurst: Double
    var failureThreshold: Int
    var openSeconds: Double
    var healthInterval: Double
    var accessLog: Bool

    /// The routing table of ARCHITECTURE.md §1: upstream name, config key segment, default port, prefixes.
    /// A prefix ending in `/` matches everything below it; one without matches that exact path too.
    static let table: [(name: String, key: String, port: Int, prefixes: [String])] = [
        ("conversation", "conversation", 8081, ["/api/v3/anytime/", "/ticketing/"]),
        ("livechat-config", "livechatConfig", 8082, ["/api/v1/livechat/", "/oauth/"]),
        ("outreach-contact", "outreachContact", 8083, ["/outreach/", "/contact/", "/outboundunichannel/"]),
        (
            "chatwoot-groups", "chatwootGroups", 8084,
            [
                "/api/v1/accounts/", "/api/v1/profile", "/api/v2/accounts/", "/platform/api/v1/", "/public/api/v1/", "/survey/",
                "/webhooks/whatsapp/", "/accounts/", "/api",
            ]
        ),
        ("sinch-cmi", "sinchCmi", 8085, ["/RI/cmi/", "/RI/cmi-admin/"]),
    ]

    /// The upstreams that take websocket upgrades, and where: chatwoot-groups on its prefixes and Chatwoot's `/cable`
    /// (ActionCable). An upgrade anywhere else is forwarded as a plain request, as any other.
    static let webSockets: [String: [String]] = ["chatwoot-groups": ["/cable"]]

    /// Reads, for each upstream `<u>` (`conversation`, `livechatConfig`, `outreachContact`, `chatwootGroups`, `sinchCmi`):
    /// - `upstream.<u>.urls` (string array, default `http://127.0.0.1:<port>`): its instances
    /// - `upstream.<u>.connectTimeout` (double, seconds, default `gateway.connectTimeout`, itself default 1)
    /// - `upstream.<u>.timeout` (double, seconds, default `gateway.timeout`, itself default 15): whole request
    ///
    /// and `gateway.maxBodySize` (int, bytes, default 42991616: 41 MiB, Chatwoot's 40 MiB attachments and their
    /// multipart framing), `rateLimit.requestsPerSecond` (double, default 50), `rateLimit.burst` (double, default
    /// 100), `rateLimit.knownCredentials` (int, default 100000: credential hashes kept to tell principals from
    /// guesses), `rateLimit.callbackPrefixes` (string array,
    /// default `/outboundunichannel/carrierCallbacks/`: paths whose senders a service verifies by signature, carriers'
    /// status callbacks, two a message from a few addresses), `rateLimit.callbackRequestsPerSecond` (double, default 1000)
    /// and `rateLimit.callbackBurst` (double, default 2000): their own bucket per client address, `breaker.failureThreshold` (int, default 5), `breaker.openSeconds` (double, default 10: also how
    /// long an unanswered trial request holds a breaker), `gateway.healthInterval` (double, seconds, default 2),
    /// `log.requests` (bool, default true).
    init(reader: ConfigReader) {
        let connectTimeout = reader.double(forKey: "gateway.connectTimeout", default: 1)
        let timeout = reader.double(forKey: "gateway.timeout", default: 15)
        self.upstreams = Self.table.map { entry in
            UpstreamSettings(
                name: entry.name,
                prefixes: entry.prefixes,
                webSocketPrefixes: Self.webSockets[entry.name].map { entry.prefixes + $0 } ?? [],
                urls: reader.stringArray(forKey: ConfigKey("upstream.\(entry.key).urls"), default: ["http://127.0.0.1:\(entry.port)"]),
                connectTimeout: reader.double(forKey: ConfigKey("upstream.\(entry.key).connectTimeout"), default: connectTimeout),
                timeout: reader.double(forKey: ConfigKey("upstream.\(entry.key).timeout"), default: timeout)
            )
        }
        // No service takes more than Chatwoot's attachment uploads; anything larger is refused here, before it streams.
        self.maxBodySize = reader.int(forKey: "gateway.maxBodySize", default: 41 * 1024 * 1024)
        self.requestsPerSecond = reader.double(forKey: "rateLimit.requestsPerSecond", default: 50)
        self.burst = reader.double(forKey: "rateLimit.burst", default: 100)
        self.knownCredentials = reader.int(forKey: "rateLimit.knownCredentials", default: 100_000)
        self.callbackPrefixes = reader.stringArray(forKey: "rateLimit.callbackPrefixes", default: ["/outboundunichannel/carrierCallbacks/"])
        self.callbackRequestsPerSecond = reader.double(forKey: "rateLimit.callbackRequestsPerSecond", default: 1000)
        self.callbackBurst = reader.double(forKey: "rateLimit.callbackBurst", default: 2000)
        self.failureThreshold = reader.int(forKey: "breaker.failureThreshold", default: 5)
        self.openSeconds = reader.double(forKey: "breaker.openSeconds", default: 10)
        self.healthInterval = reader.double(forKey: "gateway.healthInterval", default: 2)
        self.accessLog = reader.bool(forKey: "log.requests", default: true)
    }
}
