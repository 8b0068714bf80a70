import Crypto
import Foundation
import SQLKit
import ServiceKit
import Synchronization

/// Signed, expiring links to message files, as Chatwoot hands out ActiveStorage's signed blob URLs that open without
/// a token (decision 367): `/public/api/v1/attachments/{id}?expires=<epoch seconds>&signature=<hex>`, the signature an
/// HMAC-SHA256 over the id and the expiry. The HMAC key is made once per database and stored sealed under the
/// service's secrets key (``SecretBox``), so every instance on the database signs and checks alike.
final class ChatwootAttachmentLinks: Sendable {
    /// Where the files are served.
    static let path = "/public/api/v1/attachments"
    /// How long a link opens the file (the dashboard and the widget fetch fresh links with every message list).
    static let lifetime: Int64 = 86_400
    /// The key's row in `chatwoot_signing_keys`, and the place it is sealed for.
    static let keyName = "attachments"
    static let sealContext = "chatwoot_signing_keys.sealed_key/attachments"

    let database: Database
    let clock: WallClock
    private let key = Mutex<SymmetricKey?>(nil)

    init(database: Database, clock: WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Makes the key when the database has none (the first instance wins), and reads it; run before serving.
    func prepare() async throws {
        let sealed = try await self.database.transaction { tx in
            if let row = try await Self.stored(tx.sql) { return row.sealedKey }
            let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            try await tx.sql.insert(into: "chatwoot_signing_keys").columns("name", "sealed_key", "created_at")
                .values(Self.keyName, try tx.secrets.seal(fresh, context: Self.sealContext), self.clock.milliseconds())
                .ignoringConflicts(with: ["name"]).run()
            guard let row = try await Self.stored(tx.sql) else { throw KeyError(description: "the attachment signing key was not stored") }
            return row.sealedKey
        }
        let opened = SymmetricKey(data: try self.database.secrets.open(sealed, context: Self.sealContext))
        self.key.withLock { $0 = opened }
    }

    /// The signed link to file `id`, valid for ``lifetime`` from now.
    func url(_ id: Int) throws -> String {
        let expires = self.clock.milliseconds() / 1000 + Self.lifetime
        return "\(Self.path)/\(id)?expires=\(expires)&signature=\(try self.signature(id, expires: expires))"
    }

    /// Whether `signature` is this service's for file `id` until `expires`, and that time has not passed.
    func verify(_ id: Int, expires: String?, signature: String?) throws -> Bool {
        guard let expires, let until = Int64(expires), let signature, until >= self.clock.milliseconds() / 1000 else { return false }
        let expected = try self.signature(id, expires: until)
        // Compared in constant time.
        return Data(expected.utf8).withUnsafeBytes { lhs in
            Data(signature.utf8).withUnsafeBytes { rhs in lhs.count == rhs.count && zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 }
        }
    }

    private func signature(_ id: Int, expires: Int64) throws -> String {
        guard let key = self.key.withLock({ $0 }) else {
            throw KeyError(description: "the attachment signing key is not loaded (prepare() runs before serving)")
        }
        let code = HMAC<SHA256>.authenticationCode(for: Data("attachment:\(id):\(expires)".utf8), using: key)
        return code.map { String(format: "%02x", $0) }.joined()
    }

    private static func stored(_ sql: any SQLDatabase) async throws -> KeyRow? {
        try await sql.select().column("sealed_key").from("chatwoot_signing_keys").where("name", .equal, Self.keyName).first(KeyRow.self)
    }

    /// The signing key could not be stored or is not loaded yet.
    struct KeyError: Error, CustomStringConvertible {
        var description: String
    }

    private struct KeyRow: Codable {
        var sealedKey: String
    }
}
