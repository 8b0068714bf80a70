import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// Runs outreach-contact for the Outreach API's tests: the agent directory as livechat-config, the carriers at a closed
/// port and the unichannel's dispatcher idle (it polls once at start, then hourly), so messages stay as the Outreach API
/// left them unless a test moves them.
enum OutreachTestApp {
    static func run(
        clock: ManualClock? = nil, _ values: [AbsoluteConfigKey: ConfigValue] = [:], _ body: @Sendable (ContactTestClient) async throws -> Void
    ) async throws {
        try await AgentDirectory.run { url in
            let app = try await buildApplication(
                reader: TestConfiguration.reader(Self.values(directory: url, values)), clock: clock?.wallClock ?? .system)
            try await app.test(.router) { client in try await body(ContactTestClient(client: client)) }
        }
    }

    static func values(directory: String, _ values: [AbsoluteConfigKey: ConfigValue] = [:]) -> [AbsoluteConfigKey: ConfigValue] {
        let nowhere = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
        var config: [AbsoluteConfigKey: ConfigValue] = [
            "peers.livechatConfig.url": .init(.string(directory), isSecret: false),
            "carriers.twilio.url": .init(.string(nowhere), isSecret: false), "carriers.telnyx.url": .init(.string(nowhere), isSecret: false),
            "unichannel.pollInterval": 3600,
        ]
        config.merge(values) { _, new in new }
        return config
    }
}

extension ContactTestClient {
    /// Creates a channel account of the agent's site and returns its id.
    func channelAccount(from: String = "+15550001111", as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> String {
        let reply = try await self.post(
            "/outboundunichannel/channelAccounts",
            #"{"name": "Line", "channel": "sms", "carrier": "twilio", "from": "\#(from)", "credentials": {"accountSID": "AC0123456789abcdef0123456789abcdef", "authToken": "token"}}"#,
            as: agent)
        guard reply.status == .created else { throw ReplyError(message: "account not created: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100ChannelAccount.self).id
    }

    /// Creates a campaign and returns it.
    func createCampaign(_ body: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Comm100OutreachCampaign {
        let reply = try await self.post("/outreach/campaigns/", body, as: agent)
        guard reply.status == .created else { throw ReplyError(message: "campaign not created: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100OutreachCampaign.self)
    }

    /// A campaign body on `account` with `extra` members appended.
    static func campaign(account: String, _ extra: String = "") -> String {
        #"{"name": "Spring", "channel": "sms", "channelAccountId": "\#(account)", "message": "Hello!"\#(extra)}"#
    }

    /// Sends a campaign and returns its record.
    func send(campaign id: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Comm100OutreachCampaignRecord {
        let reply = try await self.post("/outreach/campaigns/\(id):send", "", as: agent)
        guard reply.status == .ok else { throw ReplyError(message: "not sent: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100OutreachCampaignRecord.self)
    }

    /// Every message of a list query (all on one page).
    func messages(_ query: String) async throws -> [Comm100OutreachMessage] {
        let reply = try await self.get("/outreach/messages?pageSize=500&\(query)")
        guard reply.status == .ok else { throw ReplyError(message: "no list: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100OutreachMessagePage.self).messages
    }
}

/// Waits up to `seconds` for `condition`.
func outreachEventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
