import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("outreach-contact foundation")
struct OutreachContactTests {
    @Test("Readiness names livechat-config when it cannot be reached; health and the OpenAPI document answer")
    func platformRoutes() async throws {
        let port = TestConfiguration.refusingPort
        let app = try await buildApplication(
            reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string("http://127.0.0.1:\(port)"), isSecret: false)]))
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("livechat-config"))
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(
                document == [
                    "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "POST /internal/sites/{siteId}/contacts:lookup",
                    "POST /internal/sites/{siteId}/contacts:identify", "GET /contact/fields", "POST /contact/fields",
                    "GET /contact/fields/{id}", "PUT /contact/fields/{id}", "DELETE /contact/fields/{id}", "GET /contact/contacts",
                    "POST /contact/contacts", "DELETE /contact/contacts", "POST /contact/contacts:query", "GET /contact/contacts/{id}",
                    "PUT /contact/contacts/{id}", "DELETE /contact/contacts/{id}", "POST /contact/contacts/{id}:merge",
                    "GET /contact/contactIdentities/{id}", "POST /contact/contactIdentities:identify", "GET /contact/importTemplate",
                    "POST /contact/contacts:import",
                    "POST /contact/contacts:export",
                    "GET /outreach/campaigns", "GET /outreach/campaigns/{id}", "POST /outreach/campaigns", "PUT /outreach/campaigns/{id}",
                    "DELETE /outreach/campaigns/{id}", "POST /outreach/campaigns/{id}:send", "GET /outreach/campaigns/{id}/records",
                    "GET /outreach/messages", "GET /outreach/unattachedMessages", "GET /outreach/messages/{id}", "POST /outreach/messages",
                    "PUT /outreach/messages/{id}", "GET /outreach/callbackDeliveries", "GET /outreach/callbackDeliveries/{id}",
                    "POST /outboundunichannel/messages", "GET /outboundunichannel/messages/{id}", "GET /outboundunichannel/callbackDeliveries",
                    "GET /outboundunichannel/callbackDeliveries/{id}", "GET /outboundunichannel/channelAccounts",
                    "POST /outboundunichannel/channelAccounts", "GET /outboundunichannel/channelAccounts/{id}",
                    "PUT /outboundunichannel/channelAccounts/{id}", "DELETE /outboundunichannel/channelAccounts/{id}",
                    "POST /outboundunichannel/carrierCallbacks/twilio/{channelAccountId}/{messageId}",
                    "POST /outboundunichannel/carrierCallbacks/telnyxsms/{channelAccountId}/{messageId}",
                ])
        }
    }

    @Test("Contact paths match in any case, with or without a trailing slash, with colon verbs also as %3A; unknown verbs 404, wrong methods 405")
    func pathSpellings() async throws {
        try await ContactTestClient.run { api in
            let contact = try await api.createContact(#"{"name": "A", "contactIdentities": []}"#)
            for path in [
                "/contact/contacts", "/contact/contacts/", "/Contact/Contacts", "/CONTACT/contacts/", "/contact/contacts:query",
                "/contact/Contacts:Query/",
                "/contact/contacts%3Aquery", "/contact/contacts%3aQUERY", "/contact/fields/", "/contact/Fields", "/contact/contacts/\(contact.id)",
                "/contact/CONTACTS/\(contact.id.uppercased())/",
            ] {
                let method: HTTPRequest.Method = path.lowercased().contains("query") ? .post : .get
                let reply = try await api.send(method, path, method == .post ? "{}" : nil)
                #expect(reply.status == .ok, "\(method) \(path): \(reply.status) \(reply.text)")
            }
            #expect(try await api.post("/contact/contacts:frobnicate", "{}").status == .notFound)
            // An unknown verb on an id is the id route with an id that is not a GUID: no POST there (405); a GET names the id.
            #expect(try await api.post("/contact/contacts/\(contact.id):frobnicate", "{}").status == .methodNotAllowed)
            let unknownVerb = try await api.get("/contact/contacts/\(contact.id):frobnicate")
            #expect(unknownVerb.status == .badRequest && unknownVerb.message.contains("'id' must be a GUID"))
            let wrongMethod = try await api.send(.patch, "/contact/contacts/\(contact.id)", "{}")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.object["code"] as? Int == 405_000)
            // Other services' paths are not rewritten.
            #expect(try await api.client.execute(uri: "/HEALTHZ", method: .get).status == .notFound)
        }
    }
}
