import AsyncHTTPClient
import Carriers
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// The Sandbox's own answers on the wire, for what the production client never sends.
@Suite struct SandboxProtocolTests {
    /// Status and JSON object of one POST.
    func post(_ url: String, headers: [(String, String)], body: String) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    func twilio(_ sandbox: LiveSandbox, form: String, sid: String = LiveSandbox.twilioSID) async throws -> (Int, [String: Any]) {
        let basic = Data("\(LiveSandbox.twilioSID):\(LiveSandbox.twilioToken)".utf8).base64EncodedString()
        return try await self.post(
            "\(sandbox.baseURL)/2010-04-01/Accounts/\(sid)/Messages.json",
            headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    func telnyx(_ sandbox: LiveSandbox, json: String) async throws -> (Int, [String: Any]) {
        try await self.post(
            "\(sandbox.baseURL)/v2/messages", headers: [("Authorization", "Bearer \(LiveSandbox.telnyxKey)"), ("Content-Type", "application/json")],
            body: json)
    }

    @Test func twilioChecksLikeTwilio() async throws {
        try await LiveSandbox.run { sandbox in
            let cases: [(form: String, sid: String, status: Int, code: Int)] = [
                ("To=%2B15551230001&From=%2B15550001111&Body=Hi", "AC" + String(repeating: "f", count: 32), 401, 20003),
                ("From=%2B15550001111&Body=Hi", LiveSandbox.twilioSID, 400, 21604),
                ("To=%2B15551230001&Body=Hi", LiveSandbox.twilioSID, 400, 21603),
                ("To=%2B15551230001&From=%2B15550001111&Body=Hi&StatusCallback=ftp%3A%2F%2Fexample.com", LiveSandbox.twilioSID, 400, 21609),
                ("To=%2B15551230001&From=%2B15550001111&Body=" + String(repeating: "x", count: 1601), LiveSandbox.twilioSID, 400, 21617),
                ("To=%2B15551230001&MessagingServiceSid=MGshort&Body=Hi", LiveSandbox.twilioSID, 400, 21705),
            ]
            for example in cases {
                let (status, body) = try await self.twilio(sandbox, form: example.form, sid: example.sid)
                #expect(status == example.status, "\(example.form)")
                #expect(body["code"] as? Int == example.code, "\(example.form)")
                #expect(body["status"] as? Int == example.status)
                #expect(body["more_info"] as? String == "https://www.twilio.com/docs/errors/\(example.code)")
            }
            let (status, resource) = try await self.twilio(sandbox, form: "To=%2B15551230001&From=Acme+Inc&Body=Hi+there")
            #expect(status == 201)
            #expect(resource["status"] as? String == "queued" && resource["direction"] as? String == "outbound-api")
            #expect(resource["body"] as? String == "Hi there" && resource["from"] as? String == "Acme Inc")
            #expect(resource["error_code"] is NSNull)
        }
    }

    @Test func telnyxChecksLikeTelnyx() async throws {
        try await LiveSandbox.run { sandbox in
            let cases: [(json: String, code: String, pointer: String?)] = [
                (#"{"to": 15551240001}"#, "10015", nil),
                (#"{"from": "+15550002222", "text": "Hi"}"#, "10004", "/to"),
                (#"{"to": "+15551240001", "text": "Hi"}"#, "10004", "/from"),
                (#"{"from": "+15550002222", "to": "+15551240001", "text": "Hi", "webhook_url": "not a url"}"#, "10015", "/webhook_url"),
                (#"{"from": "+1 555 000", "to": "+15551240001", "text": "Hi"}"#, "40305", "/from"),
            ]
            for example in cases {
                let (status, body) = try await self.telnyx(sandbox, json: example.json)
                #expect(status == 400, "\(example.json)")
                let error = (body["errors"] as? [[String: Any]])?.first
                #expect(error?["code"] as? String == example.code, "\(example.json)")
                #expect((error?["source"] as? [String: Any])?["pointer"] as? String == example.pointer, "\(example.json)")
            }
            // A number pool sends without `from`.
            let (status, body) = try await self.telnyx(sandbox, json: #"{"messaging_profile_id": "4000eba1", "to": "+15551240001", "text": "Hi"}"#)
            #expect(status == 200)
            let record = try #require(body["data"] as? [String: Any])
            #expect(record["record_type"] as? String == "message" && record["messaging_profile_id"] as? String == "4000eba1")
            #expect((record["to"] as? [[String: Any]])?.first?["status"] as? String == "queued")
        }
    }

    @Test func theTelnyxPublicKeyIsServed() async throws {
        try await LiveSandbox.run { sandbox in
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "\(sandbox.baseURL)/sandbox/telnyx/public-key"), timeout: .seconds(5))
            let text = String(buffer: try await response.body.collect(upTo: 1024)).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text == LiveSandbox.telnyx.webhookPublicKey)
        }
    }
}
