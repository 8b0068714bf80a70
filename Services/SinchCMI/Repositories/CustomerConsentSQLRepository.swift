import SQLKit
import ServiceKit
import WireModels

/// Per-address consents for WhatsApp and call recording, keyed by (usage, address); the wire type is the row.
struct CustomerConsentSQLRepository {
    let sql: any SQLDatabase

    /// Adds the consent or updates the one with the same usage and address.
    func upsert(_ consent: CMICustomerConsent) async throws {
        try await self.sql.insert(into: "customer_consents").model(consent)
            .onConflict(with: ["usage", "address"]) { $0.set(excludedValueOf: "consent") }.run()
    }

    func consent(usage: CMIConsentUsage, address: String) async throws -> CMICustomerConsent? {
        try await self.sql.select().column("*").from("customer_consents").where("usage", .equal, usage.rawValue).where("address", .equal, address)
            .first(decoding: CMICustomerConsent.self)
    }

    /// Deletes a consent; returns whether there was one.
    func delete(usage: CMIConsentUsage, address: String) async throws -> Bool {
        try await self.sql.delete(from: "customer_consents").where("usage", .equal, usage.rawValue).where("address", .equal, address)
            .returning("usage").all().count > 0
    }

    func consents(matching search: CMIFieldSearch) async throws -> [CMICustomerConsent] {
        // `consent` is matched on its text form, as the search compares values as text.
        let consent = CMIBooleanText(column: "consent")
        let columns: [String: any SQLExpression] = ["address": SQLColumn("address"), "usage": SQLColumn("usage"), "consent": consent]
        return try await self.sql.select().column("*").from("customer_consents").matching(search, columns: columns)
            .orderBy("usage").orderBy("address").all(decoding: CMICustomerConsent.self)
    }
}
