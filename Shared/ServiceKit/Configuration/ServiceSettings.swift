import Configuration
import Logging

/// The settings every Switchboard executable reads.
public struct ServiceSettings: Sendable {
    /// The executable's name (`conversation`, `gateway`, ...), used for the SQLite file and log labels.
    public var name: String
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Folder for SQLite files when `databaseURL` is unset.
    public var dataDirectory: String
    /// `postgres://...` selects PostgreSQL, `sqlite::memory:` an in-memory SQLite; nil means `<data>/<name>.sqlite`.
    public var databaseURL: String?
    /// PostgreSQL connections per event loop.
    public var databasePoolSize: Int
    /// PostgreSQL schema for this service's tables (several services, or test runs, may share one database).
    public var databaseSchema: String?
    /// Seeds the first administrator credential when the store is empty.
    public var bootstrapAPIKey: String?
    /// Shared secret for `/internal/` routes; unset disables them.
    public var internalToken: String?
    /// How long a call to another service's `/internal/` route may take before it is the peer's 503.
    public var internalTimeout: Duration
    /// Base64 of the 32-byte key secrets are sealed under at rest; nil: a key file in `dataDirectory`.
    public var secretsKey: String?
    /// The largest request body a service reads, in bytes; larger ones are 413 (the gateway has its own limit).
    public var maxBodySize: Int

    /// 2 MiB: Hummingbird's own default, which every service used before the limit was configurable.
    public static let defaultMaxBodySize = 2 * 1024 * 1024

    /// Reads:
    /// - `http.host` (string, default `127.0.0.1`), `http.port` (int, default: the service's port)
    /// - `http.maxBodySize` (int, bytes, default 2097152): larger request bodies are 413, chunked ones too
    /// - `log.level` (string: trace, debug, info, notice, warning, error, critical; default `info`)
    /// - `data.dir` (string, default `./data`)
    /// - `db.url` (string, secret, optional): `postgres://user:pass@host:port/db`, or `sqlite::memory:`
    /// - `db.poolSize` (int, default 4): PostgreSQL connections per event loop
    /// - `db.schema` (string, optional): PostgreSQL schema to create and use instead of `public`
    /// - `bootstrap.apiKey` (string, secret, optional)
    /// - `internal.token` (string, secret, optional)
    /// - `internal.timeout` (double, seconds, default 5): the deadline of a call to another service's internal route
    /// - `secrets.key` (string, secret, optional): base64 of 32 bytes (see ``SecretBox``)
    public init(reader: ConfigReader, name: String, defaultPort: Int) {
        self.name = name
        self.host = reader.string(forKey: "http.host", default: "127.0.0.1")
        self.port = reader.int(forKey: "http.port", default: defaultPort)
        self.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        self.dataDirectory = reader.string(forKey: "data.dir", default: "./data")
        self.databaseURL = reader.string(forKey: "db.url", isSecret: true)
        self.databasePoolSize = reader.int(forKey: "db.poolSize", default: 4)
        self.databaseSchema = reader.string(forKey: "db.schema")
        self.bootstrapAPIKey = reader.string(forKey: "bootstrap.apiKey", isSecret: true)
        self.internalToken = reader.string(forKey: "internal.token", isSecret: true)
        self.internalTimeout = .milliseconds(Int64(max(0.001, reader.double(forKey: "internal.timeout", default: 5)) * 1000))
        self.secretsKey = reader.string(forKey: "secrets.key", isSecret: true)
        self.maxBodySize = max(1, reader.int(forKey: "http.maxBodySize", default: Self.defaultMaxBodySize))
    }
}
