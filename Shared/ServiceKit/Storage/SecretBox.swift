import Crypto
import Foundation
import Logging
import Synchronization

/// Seals the secrets a service must read back (a carrier's credentials) before they are stored: ChaCha20-Poly1305
/// under the service's key, bound to where the value is stored, so a database, its dumps and backups hold no plain
/// secret and a sealed value copied onto another row does not open.
///
/// The key is `secrets.key` when configured (base64 of 32 bytes; every instance sharing a PostgreSQL database needs
/// the same one). Otherwise it is generated once into `<data.dir>/<name>.key` (mode 0600) on first use, which suits
/// one instance on a laptop; an in-memory SQLite database gets a key of the process, as its data dies with it.
public final class SecretBox: Sendable {
    /// Where the key comes from.
    enum Source: Sendable {
        case configured
        case file(String)
        case process
    }

    /// What a sealed value starts with; anything else was stored before values were sealed.
    public static let prefix = "sealed:v1:"

    let source: Source
    let logger: Logger
    private let key: Mutex<SymmetricKey?>

    /// `configured`: `secrets.key`, base64 of 32 bytes; nil or empty: the key file `keyFile`, or a key of the process when nil.
    init(configured: String?, keyFile: String?, logger: Logger) throws {
        self.logger = logger
        if let configured, !configured.isEmpty {
            self.key = Mutex(try Self.key(base64: configured, from: "secrets.key"))
            self.source = .configured
        } else if let keyFile {
            self.key = Mutex(nil)
            self.source = .file(keyFile)
        } else {
            self.key = Mutex(SymmetricKey(size: .bits256))
            self.source = .process
        }
    }

    /// Whether `stored` is a sealed value (rather than one stored before sealing, read as it is).
    public static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(Self.prefix)
    }

    /// `plaintext` sealed for the place `context` names (`table.column/row id`): `sealed:v1:<key id>:<base64>`.
    public func seal(_ plaintext: Data, context: String) throws -> String {
        let key = try self.currentKey()
        let box = try ChaChaPoly.seal(plaintext, using: key, authenticating: Data(context.utf8))
        return Self.prefix + Self.keyID(key) + ":" + box.combined.base64EncodedString()
    }

    /// Opens what ``seal(_:context:)`` made for `context`. A value sealed under another key, for another place, or
    /// altered throws a ``SecretBoxError`` that says which.
    public func open(_ stored: String, context: String) throws -> Data {
        let key = try self.currentKey()
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1)
        guard Self.isSealed(stored), parts.count == 2, let combined = Data(base64Encoded: String(parts[1])),
            let box = try? ChaChaPoly.SealedBox(combined: combined)
        else { throw SecretBoxError("the sealed value of \(context) is malformed") }
        let keyID = Self.keyID(key)
        guard parts[0] == keyID else {
            throw SecretBoxError(
                "\(context) was sealed under key \(parts[0]), but this service's key is \(keyID) (\(self.keyDescription)): "
                    + "configure the secrets.key it was sealed with")
        }
        do {
            return try ChaChaPoly.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw SecretBoxError("the sealed value of \(context) does not open under key \(keyID): it was altered or sealed for another place")
        }
    }

    /// Where the key came from, for errors and logs (never the key).
    var keyDescription: String {
        switch self.source {
        case .configured: "secrets.key"
        case .file(let path): "generated in \(path)"
        case .process: "this process's own, as the database is in memory"
        }
    }

    /// The key, read from (or generated once into) the key file on first use.
    private func currentKey() throws -> SymmetricKey {
        try self.key.withLock { key in
            if let key { return key }
            guard case .file(let path) = self.source else { throw SecretBoxError("no key") }
            let (loaded, created) = try Self.loadOrCreate(path)
            if created {
                // Another instance on the same PostgreSQL database would make a key of its own: say so once.
                self.logger.warning(
                    "Generated the key secrets are sealed under (secrets.key is unset): keep it with the database; instances sharing a PostgreSQL database need it as secrets.key",
                    metadata: ["path": .string(path)])
            }
            key = loaded
            return loaded
        }
    }

    /// The key in `path` and whether this call wrote it; when there is none, a new one written there. Several
    /// processes starting at once agree on one key: each writes its own to a temporary file and hard-links it into
    /// place, which only the first achieves.
    static func loadOrCreate(_ path: String) throws -> (SymmetricKey, created: Bool) {
        let files = FileManager.default
        var created = false
        if !files.fileExists(atPath: path) {
            let directory = (path as NSString).deletingLastPathComponent
            try files.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
            let temporary = "\(path).\(UUID().uuidString).tmp"
            let text = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() + "\n"
            guard files.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SecretBoxError("cannot write a key file beside \(path)")
            }
            defer { try? files.removeItem(atPath: temporary) }
            // Fails when another process linked its key first: then that key is read below.
            created = (try? files.linkItem(atPath: temporary, toPath: path)) != nil
        }
        guard let contents = files.contents(atPath: path) else { throw SecretBoxError("cannot read the key file \(path)") }
        return (try Self.key(base64: String(decoding: contents, as: UTF8.self), from: path), created)
    }

    /// A 32-byte key from its base64 text.
    static func key(base64: String, from origin: String) throws -> SymmetricKey {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw SecretBoxError("\(origin) must be base64 of 32 bytes")
        }
        return SymmetricKey(data: bytes)
    }

    /// Names a key without revealing it: the first 4 bytes of its SHA-256, hex.
    static func keyID(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}

/// A secret that cannot be sealed or opened: the message says why (never the secret or the key).
public struct SecretBoxError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
