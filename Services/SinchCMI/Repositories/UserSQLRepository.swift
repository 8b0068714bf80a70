import HTTPTypes
import Foundation
import HTTPTypes
import SQLKit
import ServiceKit

/// ``UserRepository`` on SQLite or PostgreSQL.
struct UserSQLRepository: UserRepository {
    let database: Database
    let clock: WallClock

    func user(login: String, password: String) async throws -> Identity? {
        guard let row = try await self.database.sql.raw("""
            SELECT guid, login, name, language, rights, password_hash FROM users WHERE login = \(bind: login)
            """).first(),
            SecretHasher.verifyPassword(password, against: try row.decode(column: "password_hash", as: String.self))
        else { return nil }
        let rights = try row.decode(column: "rights", as: String.self)
        return Identity(
            kind: .cmiUser,
            tenant: "",
            principalID: try row.decode(column: "guid", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            email: try row.decode(column: "login", as: String.self),
            permissions: Set((try? JSONDecoder().decode([String].self, from: Data(rights.utf8))) ?? []),
            language: try row.decode(column: "language", as: String.self)
        )
    }

    func put(_ user: CMIUserDefinition) async throws {
        let rights = String(decoding: try JSONEncoder().encode(user.rights), as: UTF8.self)
        let hash = try user.password.map { try SecretHasher.passwordHash($0) }
        try await self.database.withTransaction { database in
            let existing = try await database.raw("SELECT password_hash FROM users WHERE login = \(bind: user.login)").first()
            guard let passwordHash = try hash ?? existing?.decode(column: "password_hash", as: String.self) else {
                throw ServiceError(.badRequest, message: "Invalid value for password: required for a new user", field: "password")
            }
            try await database.raw("DELETE FROM users WHERE login = \(bind: user.login) OR guid = \(bind: user.guid)").run()
            try await database.raw("""
                INSERT INTO users (guid, login, name, language, rights, password_hash, created_at)
                VALUES (\(bind: user.guid), \(bind: user.login), \(bind: user.name), \(bind: user.language), \(bind: rights),
                        \(bind: passwordHash), \(bind: self.clock.milliseconds()))
                """).run()
        }
    }

    func bootstrap(password: String) async throws {
        let hash = try SecretHasher.passwordHash(password)
        let rights = #"["SERVE","STATISTICS_DETAILS","LISTEN","ADMIN"]"#
        try await self.database.sql.raw("""
            INSERT INTO users (guid, login, name, language, rights, password_hash, created_at)
            VALUES (\(bind: CMIIdentifier.make()), 'admin', 'Administrator', 'en', \(bind: rights), \(bind: hash), \(bind: self.clock.milliseconds()))
            ON CONFLICT (login) DO NOTHING
            """).run()
    }
}

/// Verifies CMI HTTP Basic credentials against the users table.
struct CMIUserVerifier: CredentialVerifier {
    let users: any UserRepository

    func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
        guard case .basic(let login, let password) = credential else { return nil }
        return try await self.users.user(login: login, password: password)
    }
}
