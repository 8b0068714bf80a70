import AsyncHTTPClient
import Configuration
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact
@testable import Sandbox

/// outreach-contact running live (the Sandbox calls it back), with the Sandbox started in process as both carriers,
/// the agent directory as its livechat-config, and a receiver for unichannel callbacks.
struct UnichannelHarness {
    let api: ContactTestClient
    /// The address carriers call back on (`carriers.callbackBaseURL`): a relay to outreach-contact.
    let baseURL: String
    let sandboxURL: String
    let receiver: WebhookReceiver
    /// The receiver's URL, to give as `callbackURL`.
    let callbackURL: String
    /// The relay in front of the service: point it at a closed port and the service is "down" for the carriers.
    let relay: CallbackRelay
    /// The key the Sandbox signs Telnyx webhooks with, and its public half for the channel account.
    static let telnyxKey = Curve25519.Signing.PrivateKey()
    static var telnyxPublicKey: String { Self.telnyxKey.publicKey.rawRepresentation.base64EncodedString() }
    static let twilioSID = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "sandbox-twilio-auth-token"
    static let telnyxAPIKey = "KEYsandbox-telnyx-api-key"

    /// Runs everything for the duration of `body`; `values` add to outreach-contact's configuration.
    static func run(
        _ values: [AbsoluteConfigKey: ConfigValue] = [:], answers: [HTTPResponse.Status] = [],
        _ body: @Sendable (UnichannelHarness) async throws -> Void
    ) async throws {
        let sandbox = try await buildSandbox(
            reader: ConfigReader(
                provider: InMemoryProvider(values: [
                    "http.port": 0, "log.level": "warning", "sandbox.callbackDelay": 0.02, "sandbox.retryDelay": 0.1,
                    "sandbox.twilio.accountSID": .init(.string(Self.twilioSID), isSecret: false),
                    "sandbox.twilio.authToken": .init(.string(Self.twilioToken), isSecret: true),
                    "sandbox.telnyx.apiKey": .init(.string(Self.telnyxAPIKey), isSecret: true),
                    "sandbox.telnyx.signingKey": .init(.string(Self.telnyxKey.rawRepresentation.base64EncodedString()), isSecret: true),
                ])))
        let receiver = WebhookReceiver(answers: answers)
        try await sandbox.test(.live) { sandboxClient in
            let sandboxURL = "http://127.0.0.1:\(sandboxClient.port!)"
            try await receiver.run { callbackURL in
                try await AgentDirectory.run { directory in
                    try await CallbackRelay.run { relay in
                        var config: [AbsoluteConfigKey: ConfigValue] = [
                            "peers.livechatConfig.url": .init(.string(directory), isSecret: false),
                            "carriers.twilio.url": .init(.string(sandboxURL), isSecret: false),
                            "carriers.telnyx.url": .init(.string(sandboxURL), isSecret: false),
                            "carriers.callbackBaseURL": .init(.string(relay.url), isSecret: false),
                            "unichannel.pollInterval": 0.05,
                            "unichannel.retrySchedule": .init(.doubleArray([0.05, 0.05]), isSecret: false),
                        ]
                        config.merge(values) { _, new in new }
                        let app = try await buildApplication(reader: TestConfiguration.reader(config))
                        try await app.test(.live) { client in
                            relay.target.withLockedValue { $0 = "http://127.0.0.1:\(client.port!)" }
                            try await body(
                                UnichannelHarness(
                                    api: ContactTestClient(client: client), baseURL: relay.url, sandboxURL: sandboxURL, receiver: receiver,
                                    callbackURL: callbackURL, relay: relay))
                        }
                    }
                }
            }
        }
    }

    /// Creates a channel account of `carrier` holding the Sandbox's credentials.
    func channelAccount(_ carrier: String = "twilio", as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Comm100ChannelAccount {
        let credentials =
            carrier == "twilio"
            ? #"{"accountSID": "\#(Self.twilioSID)", "authToken": "\#(Self.twilioToken)"}"#
            : #"{"apiKey": "\#(Self.telnyxAPIKey)", "webhookPublicKey": "\#(Self.telnyxPublicKey)"}"#
        let reply = try await self.api.post(
            "/outboundunichannel/channelAccounts",
            #"{"name": "Support line", "channel": "sms", "carrier": "\#(carrier)", "from": "+15550001111", "credentials": \#(credentials)}"#,
            as: agent)
        guard reply.status == .created else { throw ContactTestClient.ReplyError(message: "account not created: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100ChannelAccount.self)
    }

    /// Sends a message to `to` through `account`, with the receiver as its callback.
    func send(_ account: Comm100ChannelAccount, to: String) async throws -> Comm100OutboundMessage {
        let reply = try await self.api.post(
            "/outboundunichannel/messages/",
            #"{"channelAccountId": "\#(account.id)", "to": "\#(to)", "message": "Hello from the test", "callbackURL": "\#(self.callbackURL)"}"#)
        guard reply.status == .ok else { throw ContactTestClient.ReplyError(message: "not sent: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100OutboundMessage.self)
    }

    /// The message as it stands.
    func message(_ id: String) async throws -> Comm100OutboundMessage {
        try await self.api.get("/outboundunichannel/messages/\(id)").decode(Comm100OutboundMessage.self)
    }

    /// Waits (up to 10 s) until the message reaches `status`; returns it as it stands then.
    func await(_ id: String, status: String) async throws -> Comm100OutboundMessage {
        for _ in 0..<200 {
            let message = try await self.message(id)
            if message.status == status { return message }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await self.message(id)
    }

    /// The unichannel callbacks received for message `id`, as OutboundMessages.
    func callbacks(for id: String) -> [Comm100OutboundMessage] {
        self.receiver.received.compactMap { try? JSONDecoder().decode(Comm100OutboundMessage.self, from: Data($0.body.utf8)) }.filter { $0.id == id }
    }

    /// Waits (up to 10 s) until `count` callbacks for `id` have arrived.
    func awaitCallbacks(for id: String, count: Int) async throws -> [Comm100OutboundMessage] {
        for _ in 0..<200 where self.callbacks(for: id).count < count {
            try await Task.sleep(for: .milliseconds(50))
        }
        return self.callbacks(for: id)
    }

    /// Waits (up to 10 s) until no unichannel callback of the site is still to be delivered, and returns the deliveries:
    /// after this, a late duplicate would already have reached the receiver.
    func awaitCallbacksIdle() async throws -> [WebhookDeliveryReport] {
        var reports: [WebhookDeliveryReport] = []
        for _ in 0..<200 {
            reports = try await self.api.get("/outboundunichannel/callbackDeliveries").decode([WebhookDeliveryReport].self)
            if reports.allSatisfy({ $0.status != "pending" }) { return reports }
            try await Task.sleep(for: .milliseconds(50))
        }
        return reports
    }

    /// A raw POST to outreach-contact without credentials (as a carrier calls).
    func carrierPost(_ path: String, body: String, headers: HTTPFields) async throws -> ContactTestClient.Reply {
        let response = try await self.api.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return ContactTestClient.Reply(status: response.status, headers: response.headers, body: response.body)
    }
}
