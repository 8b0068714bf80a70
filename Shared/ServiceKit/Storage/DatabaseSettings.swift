import Configuration

/// Where a service's data lives and how it is reached.
public struct DatabaseSettings: Sendable {
    /// The service's name: the SQLite file is `<dataDirectory>/<name>.sqlite`.
    public var name: String
    public var dataDirectory: String
    /// `postgres://…`, `sqlite:<path>`, `sqlite::memory:`, or nil for the service's SQLite file.
    public var url: String?
    public var schema: String?
    /// PostgreSQL connections per core.
    public var poolSize: Int
    /// SQLite read-only connections beside the writer.
    public var readers: Int
    /// How long a SQLite statement waits for a lock another process holds before failing, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// Base64 of the 32-byte key secrets are sealed under at rest (``SecretBox``); nil: `<dataDirectory>/<name>.key`.
    public var secretsKey: String?

    /// Reads:
    /// - `data.dir` (string, default `./data`)
    /// - `db.url` (string, secret, optional): `postgres://user:pass@host:port/db[?tlsmode=disable|prefer|require]`,
    ///   `sqlite:<path>` or `sqlite::memory:`; unset: `<data.dir>/<name>.sqlite`
    /// - `db.schema` (string, optional): PostgreSQL schema to create and use instead of `public`
    /// - `db.poolSize` (int, default 4): PostgreSQL connections per core (the client's maximum is this times the cores)
    /// - `db.readers` (int, default 2): SQLite read-only connections on the WAL file beside the one writer
    ///   (none for `sqlite::memory:`, where reads use the writer)
    /// - `db.busyTimeout` (int, milliseconds, default 5000): how long SQLite waits for another process's lock
    /// - `secrets.key` (string, secret, optional): base64 of 32 bytes, the key secrets are sealed under at rest;
    ///   unset: a key generated once into `<data.dir>/<name>.key` (instances sharing a PostgreSQL database need it set)
    public init(reader: ConfigReader, name: String) {
        self.name = name
        self.dataDirectory = reader.string(forKey: "data.dir", default: "./data")
        self.url = reader.string(forKey: "db.url", isSecret: true)
        self.schema = reader.string(forKey: "db.schema")
        self.poolSize = reader.int(forKey: "db.poolSize", default: 4)
        self.readers = reader.int(forKey: "db.readers", default: 2)
        self.busyTimeoutMilliseconds = reader.int(forKey: "db.busyTimeout", default: 5000)
        self.secretsKey = reader.string(forKey: "secrets.key", isSecret: true)
    }

    /// The database keys of `settings`, with the defaults for the rest.
    public init(_ settings: ServiceSettings) {
        self.name = settings.name
        self.dataDirectory = settings.dataDirectory
        self.url = settings.databaseURL
        self.schema = settings.databaseSchema
        self.poolSize = settings.databasePoolSize
        self.readers = 2
        self.busyTimeoutMilliseconds = 5000
        self.secretsKey = settings.secretsKey
    }
}
