import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@testable import SinchCMI

@Suite("sinch-cmi routes")
struct RouteCoverageTests {
    /// The 29 endpoints of seed 004 (spec note §3).
    static let seedRoutes: Set<String> = [
        "GET /RI/cmi/emails", "GET /RI/cmi/emails/{emailId}",
        "GET /RI/cmi/scriptResults", "GET /RI/cmi/scriptResults/{scriptResultId}",
        "GET /RI/cmi/chats", "POST /RI/cmi/chats", "GET /RI/cmi/chats/{chatId}",
        "GET /RI/cmi/callRecordings", "GET /RI/cmi/callRecordings/{callRecordingId}",
        "GET /RI/cmi/callRecordings/{callRecordingId}/listenLog", "POST /RI/cmi/callRecordings/{callRecordingId}/listenLog",
        "GET /RI/cmi/callbacks", "POST /RI/cmi/callbacks", "GET /RI/cmi/callbacks/{callbackId}", "PUT /RI/cmi/callbacks/{callbackId}",
        "GET /RI/cmi/contacts", "GET /RI/cmi/contacts/{contactId}", "GET /RI/cmi/contacts/{contactId}/remarks",
        "POST /RI/cmi/contacts/{contactId}/remarks", "PUT /RI/cmi/contacts/{contactId}/remarks",
        "GET /RI/cmi/messages", "POST /RI/cmi/messages", "GET /RI/cmi/messages/{messageId}", "PUT /RI/cmi/messages/{messageId}",
        "DELETE /RI/cmi/messages/{messageId}",
        "GET /RI/cmi/customerConsents", "POST /RI/cmi/customerConsents", "GET /RI/cmi/customerConsents/{key}",
        "DELETE /RI/cmi/customerConsents/{key}",
    ]

    @Test("Every route of the seed is documented (and the build checks documented = served); the rest are marked extensions")
    func everySeedRouteServed() async throws {
        #expect(Self.seedRoutes.count == 29)
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let body = try await client.execute(uri: "/openapi.json", method: .get).body
            let documented = try ServiceChecks.documentedRoutes(body)
            #expect(Self.seedRoutes.isSubset(of: documented))
            let document = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let paths = document?["paths"] as? [String: [String: [String: Any]]] ?? [:]
            for (path, operations) in paths {
                for (method, operation) in operations where !Self.seedRoutes.contains("\(method.uppercased()) \(path)") {
                    #expect(
                        operation["x-switchboard-extension"] as? Bool == true,
                        "\(method.uppercased()) \(path) is neither in the seed nor an extension")
                }
            }
            // A path outside the seed and the extensions is not served.
            #expect(
                try await client.execute(
                    uri: "/RI/cmi/agents", method: .get, headers: [.authorization: basicAuthorization("admin", TestConfiguration.bootstrapKey)]
                ).status == .notFound)
        }
    }
}
