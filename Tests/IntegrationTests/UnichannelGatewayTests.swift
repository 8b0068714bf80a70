import Carriers
import Configuration
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import Gateway
@testable import LiveChatConfig
@testable import OutreachContact

/// The Outbound Unichannel through the real gateway: sends with Comm100 credentials checked by the real
/// livechat-config, and the carriers' public status routes reached without any credential.
@Suite("Outbound Unichannel through the gateway")
struct UnichannelGatewayTests {
    /// The address carriers are told to call (the gateway's public one; the test posts to the gateway itself).
    static let publicBase = "https://switchboard.example.com"

    @Test("A Twilio status callback reaches outreach-contact through the gateway without credentials: 401 unsigned, 200 signed")
    func carrierCallbackThroughGateway() async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = "http://127.0.0.1:\(liveChatClient.port!)"
            let closed = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
            let contact = try await OutreachContact.buildApplication(
                reader: TestConfiguration.reader([
                    "peers.livechatConfig.url": .init(.string(liveChatURL), isSecret: false),
                    // The carrier cannot be reached: the message waits, queued, for its next try.
                    "carriers.twilio.url": .init(.string(closed), isSecret: false),
                    "carriers.callbackBaseURL": .init(.string(Self.publicBase), isSecret: false),
                    "unichannel.retrySchedule": .init(.doubleArray([600]), isSecret: false),
                ]))
            try await contact.test(.live) { contactClient in
                let gateway = try await Gateway.buildApplication(
                    reader: TestConfiguration.reader([
                        "upstream.livechatConfig.urls": .init(.stringArray([liveChatURL]), isSecret: false),
                        "upstream.outreachContact.urls": .init(.stringArray(["http://127.0.0.1:\(contactClient.port!)"]), isSecret: false),
                    ]))
                try await gateway.test(.live) { client in
                    let admin: HTTPFields = [
                        .authorization: basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey), .contentType: "application/json",
                    ]
                    let created = try await client.execute(
                        uri: "/outboundunichannel/channelAccounts?siteId=10000", method: .post, headers: admin,
                        body: ByteBuffer(
                            string:
                                #"{"name": "Line", "carrier": "twilio", "from": "+15550001111", "credentials": {"accountSID": "AC1", "authToken": "tok"}}"#
                        ))
                    #expect(created.status == .created)
                    let account = try #require(try Self.object(created)["id"] as? String)
                    let sent = try await client.execute(
                        uri: "/outboundunichannel/messages/?siteId=10000", method: .post, headers: admin,
                        body: ByteBuffer(string: #"{"channelAccountId": "\#(account)", "to": "+15551234567", "message": "Hi"}"#))
                    #expect(sent.status == .ok)
                    let message = try #require(try Self.object(sent)["id"] as? String)

                    let path = "/outboundunichannel/carrierCallbacks/twilio/\(account)/\(message)"
                    let parameters = [("MessageSid", "SM0123"), ("MessageStatus", "delivered"), ("AccountSid", "AC1")]
                    let form = ByteBuffer(string: FormURLEncoding.encode(parameters))
                    var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                    let unsigned = try await client.execute(uri: path, method: .post, headers: headers, body: form)
                    #expect(unsigned.status == .unauthorized)
                    #expect(try Self.object(unsigned)["code"] as? Int == 401000)
                    headers[HTTPField.Name("X-Twilio-Signature")!] = TwilioStatusCallback.signature(
                        url: Self.publicBase + path, parameters: parameters, authToken: "tok")
                    let signed = try await client.execute(uri: path, method: .post, headers: headers, body: form)
                    #expect(signed.status == .ok)
                    let now = try await client.execute(uri: "/outboundunichannel/messages/\(message)?siteId=10000", method: .get, headers: admin)
                    let current = try Self.object(now)
                    #expect(current["status"] as? String == "delivered")
                    #expect(current["originMessageid"] as? String == "SM0123")
                }
            }
        }
    }

    @Test(
        "A Telnyx status callback reaches outreach-contact through the gateway's callback bucket: signed applied, bad signature 401, replay idempotent"
    )
    func telnyxCallbackThroughGateway() async throws {
        let signing = Curve25519.Signing.PrivateKey()
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = "http://127.0.0.1:\(liveChatClient.port!)"
            let closed = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
            let contact = try await OutreachContact.buildApplication(
                reader: TestConfiguration.reader([
                    "peers.livechatConfig.url": .init(.string(liveChatURL), isSecret: false),
                    // The carrier cannot be reached: the message waits, queued, and the reports alone move it.
                    "carriers.telnyx.url": .init(.string(closed), isSecret: false),
                    "carriers.callbackBaseURL": .init(.string(Self.publicBase), isSecret: false),
                    "unichannel.retrySchedule": .init(.doubleArray([600]), isSecret: false),
                ]))
            try await contact.test(.live) { contactClient in
                // The callback bucket's size shows in the answers' RateLimit-Policy (the default prefixes).
                let gateway = try await Gateway.buildApplication(
                    reader: TestConfiguration.reader([
                        "upstream.livechatConfig.urls": .init(.stringArray([liveChatURL]), isSecret: false),
                        "upstream.outreachContact.urls": .init(.stringArray(["http://127.0.0.1:\(contactClient.port!)"]), isSecret: false),
                        "rateLimit.callbackBurst": 77.0,
                    ]))
                try await gateway.test(.live) { client in
                    let admin: HTTPFields = [
                        .authorization: basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey), .contentType: "application/json",
                    ]
                    let publicKey = signing.publicKey.rawRepresentation.base64EncodedString()
                    let created = try await client.execute(
                        uri: "/outboundunichannel/channelAccounts?siteId=10000", method: .post, headers: admin,
                        body: ByteBuffer(
                            string:
                                #"{"name": "Line", "carrier": "telnyxsms", "from": "+15550001111", "credentials": {"apiKey": "KEY1", "webhookPublicKey": "\#(publicKey)"}}"#
                        ))
                    #expect(created.status == .created)
                    let account = try #require(try Self.object(created)["id"] as? String)
                    let sent = try await client.execute(
                        uri: "/outboundunichannel/messages/?siteId=10000", method: .post, headers: admin,
                        body: ByteBuffer(string: #"{"channelAccountId": "\#(account)", "to": "+15551234567", "message": "Hi"}"#))
                    #expect(sent.status == .ok)
                    let message = try #require(try Self.object(sent)["id"] as? String)

                    let path = "/outboundunichannel/carrierCallbacks/telnyxsms/\(account)/\(message)"
                    func event(_ type: String, _ status: String) -> String {
                        #"{"data": {"event_type": "\#(type)", "payload": {"id": "tx-0123", "to": [{"status": "\#(status)"}]}}}"#
                    }
                    func headers(_ body: String, key: Curve25519.Signing.PrivateKey = signing) throws -> HTTPFields {
                        let timestamp = String(Int(Date().timeIntervalSince1970))
                        return [
                            .contentType: "application/json",
                            HTTPField.Name("telnyx-signature-ed25519")!: try key.signature(for: Data("\(timestamp)|\(body)".utf8))
                                .base64EncodedString(),
                            HTTPField.Name("telnyx-timestamp")!: timestamp,
                        ]
                    }
                    func current() async throws -> [String: Any] {
                        try Self.object(
                            try await client.execute(uri: "/outboundunichannel/messages/\(message)?siteId=10000", method: .get, headers: admin))
                    }

                    // The first try (refused at once) is over before the reports come.
                    try await Task.sleep(for: .milliseconds(300))
                    // Signed by another key: 401 in Comm100's shape, the message untouched.
                    let delivered = event("message.finalized", "delivered")
                    let forged = try await client.execute(
                        uri: path, method: .post, headers: try headers(delivered, key: Curve25519.Signing.PrivateKey()),
                        body: ByteBuffer(string: delivered))
                    #expect(forged.status == .unauthorized)
                    #expect(try Self.object(forged)["code"] as? Int == 401000)
                    #expect(try await current()["status"] as? String == "queued")

                    // Signed: applied (sent, then delivered), through the callback bucket.
                    let sentEvent = event("message.sent", "sent")
                    let sentHeaders = try headers(sentEvent)
                    let first = try await client.execute(uri: path, method: .post, headers: sentHeaders, body: ByteBuffer(string: sentEvent))
                    #expect(first.status == .ok)
                    #expect(first.headers[HTTPField.Name("RateLimit-Policy")!]?.contains("q=77") == true)
                    #expect(try await current()["status"] as? String == "sent")
                    let deliveredHeaders = try headers(delivered)
                    let final = try await client.execute(uri: path, method: .post, headers: deliveredHeaders, body: ByteBuffer(string: delivered))
                    #expect(final.status == .ok)
                    let after = try await current()
                    #expect(after["status"] as? String == "delivered" && after["originMessageid"] as? String == "tx-0123")

                    // Replayed as they were (same body, signature and timestamp): 200 and nothing changes, the earlier
                    // "sent" does not take the message back.
                    for (body, signed) in [(delivered, deliveredHeaders), (sentEvent, sentHeaders)] {
                        let replay = try await client.execute(uri: path, method: .post, headers: signed, body: ByteBuffer(string: body))
                        #expect(replay.status == .ok)
                    }
                    let replayed = try await current()
                    #expect(replayed["status"] as? String == "delivered" && replayed["originMessageid"] as? String == "tx-0123")
                    #expect(replayed["sentTime"] as? String == after["sentTime"] as? String)
                }
            }
        }
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }
}
