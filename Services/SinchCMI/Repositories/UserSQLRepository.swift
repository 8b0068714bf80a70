import Foundation
import HTTPTypes
import SQLKit
import ServiceKit

/// The contact center's users, who sign in to the CMI with HTTP Basic.
struct UserSQLRepository {
    let sql: any SQLDatabase
    let clock: WallClock

    /// The user whose login and password match.
    func user(login: String, password: String) async throws -> Identity? {
        guard let user = try await self.sql.select().column("*").from("users").where("login", .equal, login).first(UserRow.self),
            SecretHasher.verifyPassword(password, against: user.passwordHash)
        else { return nil }
        return Identity(
            kind: .cmiUser, tenant: "", principalID: user.guid, name: user.name, email: user.login, permissions: Set(user.rights.value),
            language: user.language
        )
    }

    /// Creates or replaces a user; a nil password keeps the current one (400 for a new user without one).
    func put(_ user: CMIUserDefinition) async throws {
        let existing = try await self.sql.select().column("*").from("users").where("login", .equal, user.login).first(UserRow.self)
        guard let passwordHash = try user.password.map({ try SecretHasher.passwordHash($0) }) ?? existing?.passwordHash else {
            throw ServiceError.cmiInvalid("password", "required for a new user")
        }
        try await self.sql.delete(from: "users").where("login", .equal, user.login).orWhere("guid", .equal, user.guid).run()
        try await self.sql.insert(into: "users").row(UserRow(user, passwordHash: passwordHash, createdAt: self.clock.milliseconds())).run()
    }

    /// Creates the `admin` user when there is none.
    func bootstrap(password: String) async throws {
        let admin = CMIUserDefinition(
            guid: CMIIdentifier.make(), login: "admin", name: "Administrator", language: "en",
            rights: ["SERVE", "STATISTICS_DETAILS", "LISTEN", "ADMIN"])
        try await self.sql.insert(into: "users").row(
            UserRow(admin, passwordHash: try SecretHasher.passwordHash(password), createdAt: self.clock.milliseconds())
        )
        .ignoringConflicts(with: "login").run()
    }
}

/// A `users` row; the rights are a JSON list.
struct UserRow: Codable, Sendable {
    var guid, login, name, language, passwordHash: String
    var rights: JSONText<[String]>
    var createdAt: Int64

    init(_ user: CMIUserDefinition, passwordHash: String, createdAt: Int64) {
        (self.guid, self.login, self.name, self.language, self.rights) = (user.guid, user.login, user.name, user.language, JSONText(user.rights))
        (self.passwordHash, self.createdAt) = (passwordHash, createdAt)
    }
}

/// Verifies CMI HTTP Basic credentials against the users table.
struct CMIUserVerifier: CredentialVerifier {
    let database: Database
    let clock: WallClock

    func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
        guard case .basic(let login, let password) = credential else { return nil }
        return try await self.database.read { try await UserSQLRepository(sql: $0.sql, clock: self.clock).user(login: login, password: password) }
    }
}
