import HTTPTypes
import ServiceKit

/// The contact center's users, who sign in to the CMI with HTTP Basic.
protocol UserRepository: Sendable {
    /// The user whose login and password match.
    func user(login: String, password: String) async throws -> Identity?
    /// Creates or replaces a user; a nil password keeps the current one.
    func put(_ user: CMIUserDefinition) async throws
    /// Creates the `admin` user when there is none.
    func bootstrap(password: String) async throws
}
