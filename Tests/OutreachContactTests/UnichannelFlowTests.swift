import Carriers
import Crypto
import Foundation
import HTTPTypes
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// `POST /outboundunichannel/messages/` end to end against the Sandbox speaking Twilio's and Telnyx's wire protocols,
/// with the carriers' signed callbacks coming back to the service and the unichannel callbacks to a live receiver.
@Suite("Outbound Unichannel: send, carrier callbacks, unichannel callbacks")
struct UnichannelFlowTests {
    @Test("A Twilio send is queued, handed over (sending, with the carrier's id) and delivered by the signed status callback")
    func twilioDelivered() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            let sent = try await harness.send(account, to: "+15551234567")
            #expect(sent.status == "queued")
            #expect(sent.originMessageid == "")
            #expect(sent.channelAccountId == account.id)
            #expect(sent.channelCarrier == "twilio")
            let delivered = try await harness.await(sent.id, status: "delivered")
            #expect(delivered.status == "delivered")
            #expect(delivered.originMessageid.hasPrefix("SM"))
            #expect(delivered.sentTime != nil)
            #expect(delivered.failedReason == "")
            // One callback per change (delivered side by side, so in any order), each signed with the account's callback secret.
            let callbacks = try await harness.awaitCallbacks(for: sent.id, count: 3)
            #expect(callbacks.map(\.status).sorted() == ["delivered", "sending", "sent"])
            #expect(callbacks.allSatisfy { $0.originMessageid == delivered.originMessageid })
            let delivery = try #require(harness.receiver.received.last)
            let id = try #require(delivery.headers[HTTPField.Name("webhook-id")!])
            let timestamp = try #require(delivery.headers[HTTPField.Name("webhook-timestamp")!].flatMap { Int64($0) })
            let signature = try #require(delivery.headers[HTTPField.Name("webhook-signature")!])
            #expect(
                WebhookSignature.verify(
                    header: signature, id: id, timestamp: timestamp, body: Data(delivery.body.utf8), secret: account.callbackSecret))
            // The deliveries are visible with their attempts (recorded just after the receiver answered: waited for).
            let reports = try await harness.awaitCallbacksIdle()
            #expect(reports.count == 3)
            #expect(reports.allSatisfy { $0.status == "delivered" })
            #expect(reports.allSatisfy { $0.event == "outboundMessage" })
            let detail = try await harness.api.get("/outboundunichannel/callbackDeliveries/\(reports[0].id)").decode(WebhookDeliveryReport.self)
            #expect(detail.status == "delivered")
            #expect(detail.attempts?.first?.statusCode == 200)
            #expect(
                try await harness.api.get("/outboundunichannel/callbackDeliveries/\(reports[0].id)", as: AgentDirectory.otherSite).status == .notFound
            )
        }
    }

    @Test("A Telnyx send is delivered through the Ed25519-signed webhooks; the path without the trailing slash works too")
    func telnyxDelivered() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("telnyxsms")
            let reply = try await harness.api.post(
                "/outboundunichannel/messages",
                #"{"channelAccountId": "\#(account.id)", "channelCarrier": "TelnyxSMS", "to": "+15557654321", "message": "Hi", "callbackURL": "\#(harness.callbackURL)"}"#
            )
            #expect(reply.status == .ok)
            let sent = try reply.decode(Comm100OutboundMessage.self)
            let delivered = try await harness.await(sent.id, status: "delivered")
            #expect(delivered.status == "delivered")
            #expect(!delivered.originMessageid.isEmpty)
            let callbacks = try await harness.awaitCallbacks(for: sent.id, count: 3)
            #expect(callbacks.map(\.status).sorted() == ["delivered", "sending", "sent"])
        }
    }

    @Test("What the carrier refuses, reports failed or undelivered, answers garbage to, or cannot take (503) ends failed with the reason")
    func failures() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            // Accepted, then failed / undelivered by the callback (Twilio error codes in the reason).
            let failed = try await harness.await(try await harness.send(account, to: "+15550000000").id, status: "failed")
            #expect(failed.status == "failed")
            #expect(failed.failedReason.contains("Twilio failed"))
            let undelivered = try await harness.await(try await harness.send(account, to: "+15559999999").id, status: "undelivered")
            #expect(undelivered.status == "undelivered")
            #expect(!undelivered.failedReason.isEmpty)
            // A 200 that is not Twilio's JSON: final at once.
            let garbage = try await harness.await(try await harness.send(account, to: "+15554224220").id, status: "failed")
            #expect(garbage.failedReason.contains("unreadable"))
            #expect(garbage.originMessageid == "")
            // 503 each time: tried again on the schedule (two retries), then failed.
            let unavailable = try await harness.await(try await harness.send(account, to: "+15555555030").id, status: "failed")
            #expect(unavailable.failedReason.contains("unavailable"))
            #expect(unavailable.failedReason.contains("after 3 attempts"))
            // The carrier refuses a number it cannot send to (not E.164 to Twilio): rejected with its code.
            let refused = try await harness.await(try await harness.send(account, to: "0123").id, status: "failed")
            #expect(refused.failedReason.contains("rejected"))
            // Each failure was announced once: checked once every callback has been delivered, so a late duplicate
            // would be counted; the 503s tried again announced nothing until the final failure.
            _ = try await harness.awaitCallbacks(for: unavailable.id, count: 1)
            let idle = try await harness.awaitCallbacksIdle()
            #expect(idle.allSatisfy { $0.status == "delivered" })
            #expect(harness.callbacks(for: garbage.id).map(\.status) == ["failed"])
            #expect(harness.callbacks(for: unavailable.id).map(\.status) == ["failed"])
            #expect(harness.callbacks(for: refused.id).map(\.status) == ["failed"])
        }
    }

    @Test("Carrier callbacks: a bad or missing signature is 401, a replay changes nothing, an unknown message is 200 and ignored")
    func carrierCallbackChecks() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            let sent = try await harness.send(account, to: "+15551230001")
            let delivered = try await harness.await(sent.id, status: "delivered")
            #expect(delivered.status == "delivered")
            let path = "/outboundunichannel/carrierCallbacks/twilio/\(account.id)/\(sent.id)"
            let url = harness.baseURL + path
            let parameters = [("MessageSid", delivered.originMessageid), ("MessageStatus", "sent"), ("AccountSid", UnichannelHarness.twilioSID)]
            let form = FormURLEncoding.encode(parameters)
            let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            // No signature, a wrong one, one made with another token: 401 in Comm100's shape.
            #expect(try await harness.carrierPost(path, body: form, headers: formType).status == .unauthorized)
            var wrong = formType
            wrong[HTTPField.Name("X-Twilio-Signature")!] = TwilioStatusCallback.signature(
                url: url, parameters: parameters, authToken: "not-the-token")
            let refused = try await harness.carrierPost(path, body: form, headers: wrong)
            #expect(refused.status == .unauthorized)
            #expect(refused.object["code"] as? Int == 401000)
            // A correctly signed late "sent" after "delivered", twice: 200, nothing changes, no callback.
            let before = try await harness.awaitCallbacks(for: sent.id, count: 3).count
            #expect(before == 3)
            var signed = formType
            signed[HTTPField.Name("X-Twilio-Signature")!] = TwilioStatusCallback.signature(
                url: url, parameters: parameters, authToken: UnichannelHarness.twilioToken)
            #expect(try await harness.carrierPost(path, body: form, headers: signed).status == .ok)
            #expect(try await harness.carrierPost(path, body: form, headers: signed).status == .ok)
            #expect(try await harness.message(sent.id).status == "delivered")
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.callbacks(for: sent.id).count == before)
            // A message the account does not have: 200, ignored.
            let unknownPath = "/outboundunichannel/carrierCallbacks/twilio/\(account.id)/\(UUID().uuidString.lowercased())"
            var unknown = formType
            unknown[HTTPField.Name("X-Twilio-Signature")!] = TwilioStatusCallback.signature(
                url: harness.baseURL + unknownPath, parameters: parameters, authToken: UnichannelHarness.twilioToken)
            #expect(try await harness.carrierPost(unknownPath, body: form, headers: unknown).status == .ok)
            // Telnyx: a body signed by another key is 401.
            let telnyx = try await harness.channelAccount("telnyxsms")
            let telnyxPath = "/outboundunichannel/carrierCallbacks/telnyxsms/\(telnyx.id)/\(sent.id)"
            let body = #"{"data": {"event_type": "message.finalized", "payload": {"id": "x", "to": [{"status": "delivered"}]}}}"#
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let forged = try Curve25519.Signing.PrivateKey().signature(for: Data("\(timestamp)|\(body)".utf8)).base64EncodedString()
            let headers: HTTPFields = [
                .contentType: "application/json", HTTPField.Name("telnyx-signature-ed25519")!: forged, HTTPField.Name("telnyx-timestamp")!: timestamp,
            ]
            #expect(try await harness.carrierPost(telnyxPath, body: body, headers: headers).status == .unauthorized)
            // The callback routes are documented as public extensions.
            let document = try await harness.api.get("/openapi.json").object
            let paths = try #require(document["paths"] as? [String: Any])
            let twilioRoute = try #require(
                (paths["/outboundunichannel/carrierCallbacks/twilio/{channelAccountId}/{messageId}"] as? [String: Any])?["post"] as? [String: Any])
            #expect(twilioRoute["x-switchboard-extension"] as? Bool == true)
            #expect((twilioRoute["security"] as? [Any])?.isEmpty ?? true)
        }
    }

    @Test("Bad sends are 400s naming the member, in Comm100's shape; sending needs the permission")
    func sendValidation() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            let other = try await harness.channelAccount("twilio", as: AgentDirectory.otherSite)
            let cases: [(String, String)] = [
                (#"{"to": "+15551234567", "message": "x"}"#, "channelAccountId"),
                (#"{"channelAccountId": "q3f5b438-xw31-44af-b729-64swaf3d0b56", "to": "+15551234567", "message": "x"}"#, "channelAccountId"),
                (#"{"channelAccountId": "\#(account.id)", "channelCarrier": "foo", "to": "+15551234567", "message": "x"}"#, "channelCarrier"),
                (#"{"channelAccountId": "\#(account.id)", "channelCarrier": "telnyxsms", "to": "+15551234567", "message": "x"}"#, "channelCarrier"),
                (#"{"channelAccountId": "\#(account.id)", "message": "x"}"#, "to"),
                (#"{"channelAccountId": "\#(account.id)", "to": "call me", "message": "x"}"#, "to"),
                (#"{"channelAccountId": "\#(account.id)", "to": "+15551234567"}"#, "message"),
                (#"{"channelAccountId": "\#(account.id)", "to": "+15551234567", "message": "x", "callbackURL": "not a url"}"#, "callbackURL"),
                (#"{"channelAccountId": "\#(account.id)", "to": "+15551234567", "message": "x", "contactId": "nope"}"#, "contactId"),
                (
                    #"{"channelAccountId": "\#(account.id)", "to": "+15551234567", "message": "x", "attachments": [{"type": "gif", "url": "https://a.example/x"}]}"#,
                    "attachments[0].type"
                ),
                (#"{"channelAccountId": "\#(other.id)", "to": "+15551234567", "message": "x"}"#, "channelAccountId"),
                (#"{"channelAccountId": "\#(account.id)", "to": "+15551234567", "message": 5}"#, "message"),
            ]
            for (body, field) in cases {
                let reply = try await harness.api.post("/outboundunichannel/messages/", body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.object["code"] as? Int == 400000)
                #expect(reply.message.contains(field), "\(body): \(reply.message)")
            }
            #expect(try await harness.api.post("/outboundunichannel/messages/", #"{"to": "+1555"}"#, as: AgentDirectory.reader).status == .forbidden)
            let anonymous = try await harness.carrierPost("/outboundunichannel/messages/", body: "{}", headers: [.contentType: "application/json"])
            #expect(anonymous.status == .unauthorized)
            // Attachments are kept and answered.
            let reply = try await harness.api.post(
                "/outboundunichannel/messages/",
                #"{"channelAccountId": "\#(account.id)", "to": "+15551234567", "message": "x", "contactId": "f9928d68-92e6-4487-a2e8-8234fc9d1f48", "attachments": [{"Type": "Image", "url": "https://a.example/x.png", "size": 10}]}"#
            )
            #expect(reply.status == .ok)
            let message = try reply.decode(Comm100OutboundMessage.self)
            #expect(message.attachments == [Comm100Attachment(type: "image", url: "https://a.example/x.png", size: 10)])
            #expect(message.contactId == "f9928d68-92e6-4487-a2e8-8234fc9d1f48")
            // Another site's agent cannot read it.
            #expect(try await harness.api.get("/outboundunichannel/messages/\(message.id)", as: AgentDirectory.otherSite).status == .notFound)
        }
    }
}
