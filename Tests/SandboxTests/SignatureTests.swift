import AsyncHTTPClient
import Crypto
import Foundation
import Testing

@testable import Carriers

/// The signature algorithms and report parsing, without a network.
@Suite struct SignatureTests {
    /// The worked example of Twilio's "Webhooks security" page (auth token 12345).
    @Test func twilioSignatureMatchesTheDocumentedExample() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        let parameters = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"), ("To", "+18005551212"),
        ]
        #expect(TwilioStatusCallback.signature(url: url, parameters: parameters, authToken: "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        // The order the parameters arrive in does not matter; their values do.
        #expect(
            TwilioStatusCallback.isValid(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: parameters.reversed(), authToken: "12345"))
        let changed = parameters.map { $0.0 == "Digits" ? ($0.0, "9999") : $0 }
        #expect(!TwilioStatusCallback.isValid(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: changed, authToken: "12345"))
        #expect(!TwilioStatusCallback.isValid(signature: "not base64!", url: url, parameters: parameters, authToken: "12345"))
    }

    @Test func telnyxTimestampsOutsideTheToleranceAreRefused() throws {
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        let body = Array(#"{"data":{"event_type":"message.sent"}}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func signed(_ offset: Int) throws -> (String, String) {
            let timestamp = String(1_800_000_000 + offset)
            return (try key.signature(for: Data(timestamp.utf8) + Data("|".utf8) + Data(body)).base64EncodedString(), timestamp)
        }
        for (offset, valid) in [(0, true), (-299, true), (-301, false), (299, true), (301, false)] {
            let (signature, timestamp) = try signed(offset)
            #expect(
                TelnyxWebhook.isValid(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: now) == valid,
                "offset \(offset)")
        }
        let (signature, timestamp) = try signed(-100)
        #expect(!TelnyxWebhook.isValid(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: now, tolerance: 60))
        #expect(!TelnyxWebhook.isValid(body: body, signature: signature, timestamp: "yesterday", publicKey: publicKey, now: now))
        #expect(!TelnyxWebhook.isValid(body: body, signature: signature, timestamp: timestamp, publicKey: "not a key", now: now))
    }

    @Test func telnyxStatusesMapOntoTheSix() {
        let expected: [String: CarrierMessageStatus?] = [
            "queued": .queued, "sending": .sending, "sent": .sent, "delivered": .delivered, "delivery_unconfirmed": .sent,
            "sending_failed": .failed, "delivery_failed": .undelivered, "expired": .undelivered, "received": nil,
        ]
        for (telnyx, ours) in expected { #expect(CarrierMessageStatus(telnyx: telnyx) == ours, "\(telnyx)") }
        #expect(CarrierMessageStatus(twilio: "accepted") == .queued)
        #expect(CarrierMessageStatus(twilio: "canceled") == .failed)
        #expect(CarrierMessageStatus(twilio: "received") == nil)
    }

    @Test func reportsThatAreNotTheCarriersProtocolAreUnreadable() throws {
        #expect(throws: CarrierError.self) { try TwilioStatusCallback.report(parameters: [("MessageStatus", "sent")]) }
        #expect(throws: CarrierError.self) { try TwilioStatusCallback.report(parameters: [("MessageSid", "SM1"), ("MessageStatus", "exploded")]) }
        #expect(throws: CarrierError.self) { try TelnyxWebhook.report(body: Array("<html>".utf8)) }
        let finalizedWithoutTo = #"{"data":{"event_type":"message.finalized","id":"e","payload":{"id":"m"},"record_type":"event"}}"#
        #expect(throws: CarrierError.self) { try TelnyxWebhook.report(body: Array(finalizedWithoutTo.utf8)) }
        // Another event type is not a status report.
        let inbound =
            #"{"data":{"event_type":"message.received","id":"e","payload":{"id":"m","to":[{"status":"webhook_delivered"}]},"record_type":"event"}}"#
        #expect(try TelnyxWebhook.report(body: Array(inbound.utf8)) == nil)
        // An error code given as a number reads as its digits, with its title.
        let numeric = #"""
            {"data":{"event_type":"message.finalized","id":"e","payload":{"id":"m","to":[{"status":"delivery_failed"}],\#
            "errors":[{"code":40300,"title":"Unreachable destination"}]},"record_type":"event"}}
            """#
        #expect(try TelnyxWebhook.report(body: Array(numeric.utf8))?.failedReason == "Telnyx delivery_failed (error 40300: Unreachable destination)")
        // The legacy names are read when the current ones are absent.
        #expect(
            try TwilioStatusCallback.report(parameters: [("SmsSid", "SM9"), ("SmsStatus", "delivered")])
                == .init(carrierMessageID: "SM9", status: .delivered))
    }

    @Test func formEncodingRoundTrips() throws {
        let pairs = [("To", "+15551230001"), ("Body", "Hé llo & =100%"), ("Empty", "")]
        let encoded = FormURLEncoding.encode(pairs)
        #expect(encoded == "To=%2B15551230001&Body=H%C3%A9+llo+%26+%3D100%25&Empty=")
        let decoded = try #require(FormURLEncoding.decode(encoded))
        #expect(decoded.map(\.0) == pairs.map(\.0) && decoded.map(\.1) == pairs.map(\.1))
        #expect(FormURLEncoding.decode("a=%ZZ") == nil)
    }

    /// Twilio signs a URL with a port with it or without it; a URL without one, with or without the scheme's default.
    @Test func twilioSignaturesVerifyWithOrWithoutThePort() {
        let parameters = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
        let cases: [(configured: String, signedAs: String)] = [
            ("https://example.com/cb?a=1", "https://example.com:443/cb?a=1"), ("https://example.com:443/cb", "https://example.com/cb"),
            ("http://example.com/cb", "http://example.com:80/cb"), ("http://example.com:80/cb", "http://example.com/cb"),
            ("https://example.com:8443/cb", "https://example.com/cb"), ("https://example.com:8443/cb", "https://example.com:8443/cb"),
            ("http://[::1]:8080/cb", "http://[::1]/cb"), ("https://example.com:8443", "https://example.com"),
        ]
        for example in cases {
            let signature = TwilioStatusCallback.signature(url: example.signedAs, parameters: parameters, authToken: "12345")
            #expect(
                TwilioStatusCallback.isValid(signature: signature, url: example.configured, parameters: parameters, authToken: "12345"),
                "\(example.configured) signed as \(example.signedAs)")
        }
        // Another port, or the other scheme's default, is another URL.
        let refused: [(configured: String, signedAs: String)] = [
            ("https://example.com:8443/cb", "https://example.com:8444/cb"), ("https://example.com/cb", "https://example.com:80/cb"),
            ("http://example.com/cb", "http://example.com:443/cb"), ("https://example.com/cb", "https://example.com:8443/cb"),
            ("https://example.com:443/cb", "https://example.com:443/other"),
        ]
        for example in refused {
            let signature = TwilioStatusCallback.signature(url: example.signedAs, parameters: parameters, authToken: "12345")
            #expect(
                !TwilioStatusCallback.isValid(signature: signature, url: example.configured, parameters: parameters, authToken: "12345"),
                "\(example.configured) signed as \(example.signedAs)")
        }
    }

    @Test func credentialsNameTheirSetMembersButNeverTheirValues() {
        let credentials = CarrierCredentials(
            accountSID: "AC-sid-value", authToken: "token-value", apiKey: "KEY-value", webhookPublicKey: "public-key-value")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)", dumped, "\([credentials])"] {
            for value in ["AC-sid-value", "token-value", "KEY-value", "public-key-value"] {
                #expect(!text.contains(value), "\(text)")
            }
            for member in ["accountSID", "authToken", "apiKey", "webhookPublicKey"] { #expect(text.contains(member), "\(text)") }
            #expect(!text.contains("messagingProfileID"), "\(text)")
        }
        #expect("\(credentials)" == "CarrierCredentials(set: accountSID, authToken, apiKey, webhookPublicKey)")
        #expect("\(CarrierCredentials())" == "CarrierCredentials(set: none)")
    }

    /// Only unreserved ASCII stays as it is in a path segment: `CharacterSet.alphanumerics` holds every script's letters.
    @Test func pathSegmentsEncodeEverythingButUnreservedASCII() {
        #expect(CarrierClient.pathSegment("AC0123abc-._~") == "AC0123abc-._~")
        #expect(CarrierClient.pathSegment("ACé") == "AC%C3%A9")
        #expect(CarrierClient.pathSegment("AC٣") == "AC%D9%A3")
        #expect(CarrierClient.pathSegment("AC x/y?") == "AC%20x%2Fy%3F")
        let client = CarrierClient(kind: .twilio, baseURL: "https://api.twilio.com", httpClient: .shared)
        let request = client.httpRequest(
            CarrierSendRequest(from: "+15550001111", to: "+15551230001", body: "Hi"), credentials: .init(accountSID: "ACñ", authToken: "t"))
        #expect(request.url == "https://api.twilio.com/2010-04-01/Accounts/AC%C3%B1/Messages.json")
    }
}
