import Hummingbird

/// A contact-center user as the administration extension defines one: HTTP Basic login and password, the
/// language the CMI translates to by default, and rights (`SERVE`, `STATISTICS_DETAILS`, `LISTEN`, `ADMIN`).
struct CMIUserDefinition: Codable, Sendable, Equatable, CMIRepresentable {
    static let xmlRootName = "user"
    static let xmlListRootName = "users"

    var guid: String
    var login: String
    var name: String
    var language: String
    var rights: [String]
    /// Write-only: stored hashed, never returned.
    var password: String?
}
