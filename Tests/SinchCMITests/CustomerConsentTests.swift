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

@testable import SinchCMI

@Suite("sinch-cmi customer consents")
struct CustomerConsentTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)

    static func post(_ json: String, client: some TestClientProtocol, contentType: String = "application/json") async throws -> TestResponse {
        try await client.execute(
            uri: "/RI/cmi/customerConsents", method: .post,
            headers: [.authorization: admin, .contentType: contentType, .accept: "text/html"], body: ByteBuffer(string: json)
        )
    }

    @Test("POST is an upsert keyed by usage and address, answering 204 with no body")
    func upsert() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let first = try await Self.post(#"{"address": "+8541255455", "usage": "recording", "consent": true}"#, client: client)
            #expect(first.status == .noContent)
            #expect(first.body.readableBytes == 0)
            #expect(first.headers[.location] == nil)
            _ = try await Self.post(#"{"address": "+8541255455", "usage": "recording", "consent": false}"#, client: client)
            _ = try await Self.post(
                "<customerConsent><address>+8541255455</address><usage>whatsapp</usage><consent>true</consent></customerConsent>", client: client,
                contentType: "application/xml")

            let recording = try await client.execute(
                uri: "/RI/cmi/customerConsents/recording_+8541255455", method: .get, headers: [.authorization: Self.admin])
            #expect(recording.status == .ok)
            #expect(
                try JSONDecoder().decode(CMICustomerConsent.self, from: Data(buffer: recording.body))
                    == CMICustomerConsent(address: "+8541255455", usage: .recording, consent: false))
            let encoded = try await client.execute(
                uri: "/RI/cmi/customerConsents/whatsapp_%2B8541255455", method: .get,
                headers: [.authorization: Self.admin, .accept: "application/xml"])
            #expect(
                String(buffer: encoded.body).contains(
                    "<customerConsent><address>+8541255455</address><usage>whatsapp</usage><consent>true</consent></customerConsent>"))

            let all = try await client.execute(uri: "/RI/cmi/customerConsents", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMICustomerConsent].self, from: Data(buffer: all.body)).count == 2)
        }
    }

    @Test("The list filters on address, usage and consent with * and ? wildcards; other fields are a 400")
    func search() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            for (address, usage, consent) in [
                ("+358401234567", "whatsapp", true), ("+358409999999", "recording", false), ("+46701234567", "whatsapp", false),
                ("a_b%c", "recording", true),
            ] {
                _ = try await Self.post(#"{"address": "\#(address)", "usage": "\#(usage)", "consent": \#(consent)}"#, client: client)
            }
            func addresses(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/RI/cmi/customerConsents?\(query)", method: .get, headers: [.authorization: Self.admin])
                #expect(response.status == .ok)
                return try JSONDecoder().decode([CMICustomerConsent].self, from: Data(buffer: response.body)).map(\.address).sorted()
            }
            #expect(try await addresses("address=%2B358*") == ["+358401234567", "+358409999999"])
            #expect(try await addresses("usage=whatsapp&consent=false") == ["+46701234567"])
            #expect(try await addresses("address=*4567") == ["+358401234567", "+46701234567"])
            #expect(try await addresses("address=%2B4670123456?") == ["+46701234567"])
            #expect(try await addresses("address=a_b%25c") == ["a_b%c"])
            #expect(try await addresses("address=a?b*") == ["a_b%c"])
            #expect(try await addresses("address=ab*") == [])
            let invalid = try await client.execute(uri: "/RI/cmi/customerConsents?channel=sms", method: .get, headers: [.authorization: Self.admin])
            #expect(invalid.status == .badRequest)
            #expect(String(buffer: invalid.body) == "Invalid search field: channel")
        }
    }

    @Test("Unknown consents and usages are 404; DELETE answers 204 once, then 404; a bad body is a 400")
    func deleteAndErrors() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            _ = try await Self.post(#"{"address": "+325154786", "usage": "whatsapp", "consent": true}"#, client: client)
            let deleted = try await client.execute(
                uri: "/RI/cmi/customerConsents/whatsapp_+325154786", method: .delete, headers: [.authorization: Self.admin])
            #expect(deleted.status == .noContent)
            let again = try await client.execute(
                uri: "/RI/cmi/customerConsents/whatsapp_+325154786", method: .delete, headers: [.authorization: Self.admin])
            #expect(again.status == .notFound)
            #expect(String(buffer: again.body) == "HTTP 404 Not Found")
            let unknownUsage = try await client.execute(
                uri: "/RI/cmi/customerConsents/email_x@y.z", method: .get, headers: [.authorization: Self.admin])
            #expect(unknownUsage.status == .notFound)
            let badUsage = try await Self.post(#"{"address": "+1", "usage": "email", "consent": true}"#, client: client)
            #expect(badUsage.status == .badRequest)
            let missing = try await Self.post(#"{"address": "+1", "usage": "whatsapp"}"#, client: client)
            #expect(missing.status == .badRequest)
            #expect(String(buffer: missing.body).contains("consent"))
        }
    }

    @Test("`*` and `?` become LIKE wildcards, lower-cased; LIKE's own wildcards and the escape character are escaped")
    func likePatterns() {
        #expect(CMIFieldSearch.likePattern(#"+358*?A%b_c\d"#) == #"+358%_a\%b\_c\\d"#)
        #expect(CMIFieldSearch.likePattern("") == "")
    }
}
