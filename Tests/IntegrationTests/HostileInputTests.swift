import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceKit
import TestSupport
import Testing

/// Bodies that cannot be decoded and bodies over the limit, sent through the real gateway to livechat-config
/// and sinch-cmi: every one is a 400 or 413 in the vendor's own shape, never a 500.
@Suite("Hostile input: bodies")
struct HostileInputTests {
    static let billionLaughs = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\
        <settings><callbackIvrNumber>&lol2;</callbackIvrNumber></settings>
        """
    static let externalEntity = """
        <?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><settings><callbackIvrNumber>&x;</callbackIvrNumber></settings>
        """

    @Test("Malformed, truncated, entity-laden, control-character and non-UTF-8 XML is a CMI 400 on every body route, and changes nothing")
    func malformedXML() async throws {
        try await HostileServices.run { client in
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": "+358201234567"}"#).status == .noContent)
            let routes: [(HTTPRequest.Method, String)] = [
                (.put, "/RI/cmi-admin/settings"), (.post, "/RI/cmi/chats"), (.post, "/RI/cmi/callbacks"), (.post, "/RI/cmi/messages"),
                (.post, "/RI/cmi/customerConsents"), (.put, "/RI/cmi-admin/queues/11111111111111111111111111111111"),
                (.put, "/RI/cmi/callbacks/11111111111111111111111111111111"), (.put, "/RI/cmi-admin/users/bob"),
            ]
            let bodies: [(String, String)] = [
                ("<settings><callbackIvrNumber>1", "not well-formed XML"),
                ("<settings><callbackIvrNumber>1</wrong></settings>", "not well-formed XML"),
                ("<settings><callbackIvrNumber>&nope;</callbackIvrNumber></settings>", "not well-formed XML"),
                ("<settings><callbackIvrNumber>&#0;</callbackIvrNumber></settings>", "not well-formed XML"),
                ("<settings><callbackIvrNumber>a\u{1}b</callbackIvrNumber></settings>", "not well-formed XML"),
                (Self.billionLaughs, "<!DOCTYPE"),
                (Self.externalEntity, "<!DOCTYPE"),
                ("", "empty"),
            ]
            for (method, path) in routes {
                for (body, problem) in bodies {
                    let response = try await client.cmi(method, path, body, contentType: "application/xml")
                    #expect(response.status == .badRequest, "\(method) \(path) \(body.prefix(40))")
                    #expect(HostileServices.cmiError(response)?.contains(problem) == true, "\(path): \(String(buffer: response.body))")
                }
                let invalid = try await client.cmi(
                    method, path, bytes: Array("<settings><callbackIvrNumber>".utf8) + [0xFF, 0xFE] + Array("</callbackIvrNumber></settings>".utf8),
                    contentType: "application/xml")
                #expect(invalid.status == .badRequest && HostileServices.cmiError(invalid)?.contains("UTF-8") == true)
            }
            // Nothing above was stored or expanded: the number is as it was.
            let settings = try await client.cmi(.get, "/RI/cmi-admin/settings")
            #expect(String(buffer: settings.body) == #"{"callbackIvrNumber":"+358201234567"}"#)
        }
    }

    @Test(
        "Malformed JSON, trailing commas, invalid UTF-8, raw control characters, \\u0000 and deep nesting are 400s in the vendor's shape on every service, public routes included"
    )
    func malformedJSON() async throws {
        try await HostileServices.run { client in
            let cases: [([UInt8], String)] = [
                (Array(#"{"name": "x""#.utf8), "not valid JSON"),
                (Array(#"{"name": }"#.utf8), "not valid JSON"),
                // Foundation's parser takes trailing commas; JSON (and spec 002 §6 #32) does not.
                (Array(#"{"name": "x",}"#.utf8), "trailing comma"),
                (Array("{\"name\": \"x\" ,\r\n\t }".utf8), "trailing comma"),
                (Array(#"{"name": "x", "ids": ["a",]}"#.utf8), "trailing comma"),
                (Array(#"{"name": "a"#.utf8) + [0xFF] + Array(#""}"#.utf8), "UTF-8"),
                (Array(#"{"name": "a"#.utf8) + [0x01] + Array(#""}"#.utf8), "control character"),
                (Array(#"{"name": "a\u0000"}"#.utf8), "NUL"),
                (Array(String(repeating: "[", count: 100).utf8) + Array(String(repeating: "]", count: 100).utf8), "nested more than 64"),
                ([], "empty"),
            ]
            let guid = HostileServices.unknownGUID
            // (method, path, whether an empty body is a request of its own: those take their input from the query too)
            let comm100Routes: [(HTTPRequest.Method, String, Bool)] = [
                (.post, "/api/v1/livechat/departments?siteId=10000", false), (.put, "/api/v1/livechat/configs?siteId=10000", false),
                (.put, "/api/v1/livechat/agents/1?siteId=10000", false), (.post, "/api/v1/livechat/bans?siteId=10000", false),
                // Public: the visitor's side needs no credential.
                (.post, "/api/v1/livechat/visitor/chats", false), (.post, "/api/v1/livechat/visitor/offlineMessages", false),
                // outreach-contact's Contact API.
                (.post, "/contact/fields?siteId=10000", false), (.put, "/contact/fields/\(guid)?siteId=10000", false),
                (.post, "/contact/contacts?siteId=10000", false), (.put, "/contact/contacts/\(guid)?siteId=10000", false),
                (.post, "/contact/contacts:query?siteId=10000", false), (.post, "/contact/contacts/\(guid):merge?siteId=10000", false),
                (.post, "/contact/contacts:export?siteId=10000", false), (.post, "/contact/contactIdentities:identify?siteId=10000", true),
                (.delete, "/contact/contacts?siteId=10000", true),
                // outreach-contact's Outbound Unichannel API.
                (.post, "/outboundunichannel/messages?siteId=10000", false), (.post, "/outboundunichannel/channelAccounts?siteId=10000", false),
                (.put, "/outboundunichannel/channelAccounts/\(guid)?siteId=10000", false),
                // outreach-contact's Outreach API.
                (.post, "/outreach/campaigns?siteId=10000", false), (.put, "/outreach/campaigns/\(guid)?siteId=10000", false),
                (.post, "/outreach/messages?siteId=10000", false), (.put, "/outreach/messages/\(guid)?siteId=10000", false),
            ]
            for (method, path, emptyIsARequest) in comm100Routes {
                for (bytes, problem) in cases where !(emptyIsARequest && bytes.isEmpty) {
                    let response = try await client.execute(
                        uri: path, method: method, headers: [.authorization: HostileServices.liveChatAdmin, .contentType: "application/json"],
                        body: ByteBuffer(bytes: bytes)
                    )
                    let error = HostileServices.comm100Error(response)
                    #expect(response.status == .badRequest && error?.code == 400_000, "\(method) \(path): \(String(buffer: response.body))")
                    #expect(error?.message.contains(problem) == true, "\(path) expected \(problem): \(error?.message ?? "")")
                }
            }
            for (method, path) in [(HTTPRequest.Method.post, "/RI/cmi/chats"), (.put, "/RI/cmi-admin/settings"), (.post, "/RI/cmi/customerConsents")]
            {
                for (bytes, problem) in cases {
                    let response = try await client.cmi(method, path, bytes: bytes, contentType: "application/json")
                    #expect(response.status == .badRequest, "\(method) \(path)")
                    #expect(
                        HostileServices.cmiError(response)?.contains(problem) == true, "\(path) expected \(problem): \(String(buffer: response.body))"
                    )
                }
            }
            // Nothing above was stored.
            let contacts = try await client.contact(.get, "/contacts")
            #expect(contacts.status == .ok && String(buffer: contacts.body).contains(#""total":0"#), "\(String(buffer: contacts.body))")
        }
    }

    @Test("/oauth/token: a malformed form (bad percent-escapes) or JSON body is OAuth's invalid_request, not a crash")
    func oauthBodies() async throws {
        try await HostileServices.run { client in
            for (type, body) in [
                ("application/x-www-form-urlencoded", "grant_type=password&email=a%zz&password=x"),
                ("application/x-www-form-urlencoded", "grant_type=password&email=%FF%FE&password=x"),
                ("application/x-www-form-urlencoded", "grant_type=password&email=a%00&password=x"),
                ("application/json", #"{"grant_type": "password", "email": "#),
                ("application/json", "[1, 2]"),
                ("application/json", #"{"grant_type": "password", "email": "admin@example.com",}"#),
            ] {
                let response = try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(object?["error"] as? String == "invalid_request", "\(body): \(String(buffer: response.body))")
            }
            // The service is still there and still issues tokens.
            let token = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "grant_type=password&email=admin%40example.com&password=\(TestConfiguration.bootstrapKey)&siteId=10000")
            )
            #expect(token.status == .ok)
        }
    }

    @Test("A body over http.maxBodySize is a 413 in the vendor's shape on every route, with a Content-Length or chunked")
    func bodyLimit() async throws {
        try await HostileServices.run { client in
            let large = ByteBuffer(repeating: UInt8(ascii: " "), count: HostileServices.bodyLimit + 1)
            for (method, path) in [
                (HTTPRequest.Method.put, "/api/v1/livechat/configs?siteId=10000"), (.post, "/api/v1/livechat/visitor/chats"), (.post, "/oauth/token"),
                (.get, "/api/v1/livechat/campaigns?siteId=10000"),
            ] {
                let response = try await client.execute(
                    uri: path, method: method, headers: [.authorization: HostileServices.liveChatAdmin, .contentType: "application/json"], body: large
                )
                #expect(response.status == .contentTooLarge, "\(method) \(path)")
                #expect(HostileServices.comm100Error(response)?.code == 413_000, "\(path): \(String(buffer: response.body))")
            }
            // outreach-contact, the CSV import included (a multipart body), and chatwoot-groups' profile (a GET).
            for (method, path, type) in [
                (HTTPRequest.Method.post, "/contacts", "application/json"), (.put, "/fields/\(HostileServices.unknownGUID)", "application/json"),
                (.post, "/contacts:import", "multipart/form-data; boundary=x"), (.get, "/fields", "application/json"),
            ] {
                let response = try await client.contact(method, path, bytes: Array(large.readableBytesView), contentType: type)
                #expect(response.status == .contentTooLarge, "\(method) \(path)")
                #expect(HostileServices.comm100Error(response)?.code == 413_000, "\(path): \(String(buffer: response.body))")
            }
            // Outbound Unichannel, the carriers' public status callbacks included.
            for path in [
                "/outboundunichannel/messages?siteId=10000", "/outboundunichannel/carrierCallbacks/twilio/1/\(HostileServices.unknownGUID)",
                "/outboundunichannel/carrierCallbacks/telnyxsms/1/\(HostileServices.unknownGUID)",
            ] {
                let response = try await client.execute(
                    uri: path, method: .post, headers: [.authorization: HostileServices.liveChatAdmin, .contentType: "application/json"], body: large)
                #expect(response.status == .contentTooLarge, "\(path)")
                #expect(HostileServices.comm100Error(response)?.code == 413_000, "\(path): \(String(buffer: response.body))")
            }
            let profile = try await client.chatwoot(.get, "/api/v1/profile", body: large)
            #expect(profile.status == .contentTooLarge)
            #expect(HostileServices.chatwootError(profile)?.contains("larger than") == true, "\(String(buffer: profile.body))")
            for (method, path) in [
                (HTTPRequest.Method.put, "/RI/cmi-admin/settings"), (.post, "/RI/cmi/chats"),
                (.put, "/RI/cmi/contacts/11111111111111111111111111111111/remarks"),
            ] {
                let response = try await client.execute(
                    uri: path, method: method, headers: [.authorization: HostileServices.cmiAdmin, .contentType: "application/json"], body: large)
                #expect(response.status == .contentTooLarge, "\(path)")
                #expect(HostileServices.cmiError(response) == "HTTP 413 Request Entity Too Large")
            }
            // A small body still works after the refusals.
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", "{}").status == .noContent)

            // Chunked, with no Content-Length to refuse up front: the services stop reading at the limit.
            let port = try #require(client.port)
            for (path, authorization, isCMI) in [
                ("/api/v1/livechat/visitor/chats", HostileServices.liveChatAdmin, false), ("/RI/cmi/chats", HostileServices.cmiAdmin, true),
                ("/contact/contacts?siteId=10000", HostileServices.liveChatAdmin, false),
                ("/contact/contacts:import?siteId=10000", HostileServices.liveChatAdmin, false),
            ] {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: authorization)
                let chunks = (0..<20).map { _ in ByteBuffer(repeating: UInt8(ascii: " "), count: 8 * 1024) }
                request.body = .stream(chunks.async, length: .unknown)
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 64 * 1024)
                #expect(response.status == .payloadTooLarge, "\(path) chunked")
                #expect(isCMI ? String(buffer: body) == "HTTP 413 Request Entity Too Large" : String(buffer: body).contains("413000"))
            }
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence (a streamed request body).
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
