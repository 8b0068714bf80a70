import Carriers
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
            let closed = "http://127.0.0.1:\(try TestConfiguration.closedPort())"
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

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }
}
