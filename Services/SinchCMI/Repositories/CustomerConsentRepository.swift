import SQLKit
import ServiceKit
import WireModels

/// Per-address consents for WhatsApp and call recording, keyed by (usage, address).
protocol CustomerConsentRepository: Sendable {
    /// Adds the consent or updates the one with the same usage and address.
    func upsert(_ consent: CMICustomerConsent) async throws
    func consent(usage: CMIConsentUsage, address: String) async throws -> CMICustomerConsent?
    /// Deletes a consent; returns whether there was one.
    func delete(usage: CMIConsentUsage, address: String) async throws -> Bool
    func consents(matching search: CMIFieldSearch) async throws -> [CMICustomerConsent]
}

/// ``CustomerConsentRepository`` on SQLite or PostgreSQL.
struct CustomerConsentSQLRepository: CustomerConsentRepository {
    let database: Database

    func upsert(_ consent: CMICustomerConsent) async throws {
        try await self.database.sql.raw("""
            INSERT INTO customer_consents (usage, address, consent) VALUES (\(bind: consent.usage.rawValue), \(bind: consent.address), \(bind: consent.consent))
            ON CONFLICT (usage, address) DO UPDATE SET consent = EXCLUDED.consent
            """).run()
    }

    func consent(usage: CMIConsentUsage, address: String) async throws -> CMICustomerConsent? {
        try await self.database.sql.raw("""
            SELECT usage, address, consent FROM customer_consents WHERE usage = \(bind: usage.rawValue) AND address = \(bind: address)
            """).first().map(Self.consent)
    }

    func delete(usage: CMIConsentUsage, address: String) async throws -> Bool {
        let rows = try await self.database.sql.raw("""
            DELETE FROM customer_consents WHERE usage = \(bind: usage.rawValue) AND address = \(bind: address) RETURNING usage
            """).all()
        return !rows.isEmpty
    }

    func consents(matching search: CMIFieldSearch) async throws -> [CMICustomerConsent] {
        var query = SQLQueryString("SELECT usage, address, consent FROM customer_consents WHERE 1 = 1")
        for (field, like) in search.patterns {
            // `consent` is matched on its string form, as the search compares values as text.
            let column = field == "consent" ? "CASE WHEN consent THEN 'true' ELSE 'false' END" : "LOWER(\(field))"
            query.appendInterpolation(unsafeRaw: " AND \(column) LIKE ")
            query.appendInterpolation(bind: like)
            query.appendInterpolation(unsafeRaw: " ESCAPE '\\'")
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY usage, address")
        return try await self.database.sql.raw(query).all().map(Self.consent)
    }

    static func consent(_ row: any SQLRow) throws -> CMICustomerConsent {
        CMICustomerConsent(
            address: try row.decode(column: "address", as: String.self),
            usage: CMIConsentUsage(rawValue: try row.decode(column: "usage", as: String.self)) ?? .recording,
            consent: try row.decode(column: "consent", as: Bool.self)
        )
    }
}
