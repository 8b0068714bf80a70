import Configuration
import Foundation
import HTTPTypes
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// `/outboundunichannel/channelAccounts` (extension): administration with Comm100 credentials, write-only carrier
/// credentials, per-carrier checks, tenancy.
@Suite("Outbound Unichannel: channel accounts")
struct UnichannelChannelAccountTests {
    static let twilioCredentials = #"{"accountSID": "AC0123456789abcdef0123456789abcdef", "authToken": "secret-token"}"#

    @Test("Create, get, list, update and delete; credentials never come back, only the names of those set")
    func crud() async throws {
        try await ContactTestClient.run { api in
            let created = try await api.post(
                "/outboundunichannel/channelAccounts",
                #"{"name": "Sales", "carrier": "twilio", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#)
            #expect(created.status == .created)
            #expect(!created.text.contains("secret-token"))
            let account = try created.decode(Comm100ChannelAccount.self)
            #expect(account.channel == "sms")
            #expect(account.credentialsSet == ["accountSID", "authToken"])
            #expect(account.callbackSecret.hasPrefix("whsec_"))
            let fetched = try await api.get("/outboundunichannel/channelAccounts/\(account.id)")
            #expect(try fetched.decode(Comm100ChannelAccount.self) == account)
            #expect(!fetched.text.contains("secret-token"))
            #expect(try await api.get("/outboundunichannel/channelAccounts").decode([Comm100ChannelAccount].self).map(\.id) == [account.id])
            // A partial update keeps what it leaves out, credentials included.
            let updated = try await api.put(
                "/outboundunichannel/channelAccounts/\(account.id)", #"{"name": "Sales line", "credentials": {"authToken": "new-token"}}"#)
            #expect(updated.status == .ok)
            let changed = try updated.decode(Comm100ChannelAccount.self)
            #expect(changed.name == "Sales line")
            #expect(changed.from == "+15550001111")
            #expect(changed.credentialsSet == ["accountSID", "authToken"])
            #expect(changed.callbackSecret == account.callbackSecret)
            // Switching carrier needs the new carrier's credentials.
            let switched = try await api.put("/outboundunichannel/channelAccounts/\(account.id)", #"{"carrier": "telnyxsms"}"#)
            #expect(switched.status == .badRequest)
            #expect(switched.message.contains("credentials.apiKey"))
            #expect(try await api.delete("/outboundunichannel/channelAccounts/\(account.id)").status == .noContent)
            #expect(try await api.get("/outboundunichannel/channelAccounts/\(account.id)").status == .notFound)
            #expect(try await api.delete("/outboundunichannel/channelAccounts/\(account.id)").status == .notFound)
        }
    }

    @Test("Bad accounts are 400s naming the member (per carrier credentials, E.164 from, channel sms)")
    func validation() async throws {
        try await ContactTestClient.run { api in
            let key = Data(repeating: 7, count: 32).base64EncodedString()
            let cases: [(String, String)] = [
                (#"{"carrier": "twilio", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#, "name"),
                (#"{"name": "a", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#, "carrier"),
                (#"{"name": "a", "carrier": "sinch", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#, "carrier"),
                (
                    #"{"name": "a", "channel": "email", "carrier": "twilio", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#,
                    "channel"
                ),
                (#"{"name": "a", "carrier": "twilio", "from": "5550001111", "credentials": \#(Self.twilioCredentials)}"#, "from"),
                (#"{"name": "a", "carrier": "twilio", "from": "+15550001111", "credentials": {"accountSID": "AC1"}}"#, "credentials.authToken"),
                (#"{"name": "a", "carrier": "twilio", "from": "+15550001111"}"#, "credentials.accountSID"),
                (
                    #"{"name": "a", "carrier": "telnyxsms", "from": "+15550001111", "credentials": {"apiKey": "KEY1"}}"#,
                    "credentials.webhookPublicKey"
                ),
                (
                    #"{"name": "a", "carrier": "telnyxsms", "from": "+15550001111", "credentials": {"apiKey": "KEY1", "webhookPublicKey": "abc"}}"#,
                    "credentials.webhookPublicKey"
                ),
                (
                    #"{"name": "a", "carrier": "telnyxsms", "from": "+15550001111", "credentials": {"webhookPublicKey": "\#(key)"}}"#,
                    "credentials.apiKey"
                ),
                (#"{"name": 5, "carrier": "twilio", "from": "+15550001111"}"#, "name"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/outboundunichannel/channelAccounts", body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.message.contains(field), "\(body): \(reply.message)")
            }
            let telnyx = try await api.post(
                "/outboundunichannel/channelAccounts",
                #"{"name": "t", "carrier": "telnyxsms", "from": "+15550001111", "credentials": {"apiKey": "KEY1", "webhookPublicKey": "\#(key)"}}"#)
            #expect(telnyx.status == .created)
            #expect(try telnyx.decode(Comm100ChannelAccount.self).credentialsSet == ["apiKey", "webhookPublicKey"])
            #expect(try await api.get("/outboundunichannel/channelAccounts/not-a-guid").status == .badRequest)
        }
    }

    @Test("401 without credentials, 403 without the permission, another site's account is 404")
    func access() async throws {
        try await ContactTestClient.run { api in
            let created = try await api.post(
                "/outboundunichannel/channelAccounts",
                #"{"name": "Sales", "carrier": "twilio", "from": "+15550001111", "credentials": \#(Self.twilioCredentials)}"#)
            let account = try created.decode(Comm100ChannelAccount.self)
            let anonymous = try await api.client.execute(
                uri: "/outboundunichannel/channelAccounts?siteId=10000", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(try await api.get("/outboundunichannel/channelAccounts", as: AgentDirectory.reader).status == .forbidden)
            #expect(
                try await api.post("/outboundunichannel/channelAccounts", #"{"name": "x"}"#, as: AgentDirectory.editor).status == .forbidden)
            let other = AgentDirectory.otherSite
            #expect(try await api.get("/outboundunichannel/channelAccounts/\(account.id)", as: other).status == .notFound)
            #expect(try await api.put("/outboundunichannel/channelAccounts/\(account.id)", #"{"name": "mine"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/outboundunichannel/channelAccounts/\(account.id)", as: other).status == .notFound)
            #expect(try await api.get("/outboundunichannel/channelAccounts", as: other).decode([Comm100ChannelAccount].self).isEmpty)
            #expect(try await api.get("/outboundunichannel/channelAccounts/\(account.id)").status == .ok)
        }
    }

    @Test("A demo channel account is seeded in the bootstrap site from the demo configuration keys")
    func demoAccount() async throws {
        try await AgentDirectory.run { url in
            let app = try await buildApplication(
                reader: TestConfiguration.reader([
                    "peers.livechatConfig.url": .init(.string(url), isSecret: false),
                    "demo.twilio.accountSID": "AC0123456789abcdef0123456789abcdef", "demo.twilio.authToken": .init(.string("tok"), isSecret: true),
                ]))
            try await app.test(.router) { client in
                let api = ContactTestClient(client: client)
                let accounts = try await api.get("/outboundunichannel/channelAccounts").decode([Comm100ChannelAccount].self)
                #expect(accounts.map(\.id) == ["5d1c0000-0000-4000-8000-000000000001"])
                #expect(accounts.first?.carrier == "twilio")
                #expect(accounts.first?.credentialsSet == ["accountSID", "authToken"])
            }
        }
    }
}
