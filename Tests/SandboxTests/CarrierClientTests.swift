import AsyncHTTPClient
import Carriers
import Configuration
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import Sandbox

/// The production carrier clients and webhook verification against the live Sandbox, over HTTP.
@Suite struct CarrierClientTests {
    // MARK: Twilio

    @Test func twilioAcceptsThenReportsSentAndDeliveredWithValidSignatures() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { callbackURL in
            try await LiveSandbox.run { sandbox in
                let acceptance = try await sandbox.client(.twilio).send(
                    CarrierSendRequest(from: "+15550001111", to: "+15551230001", body: "Hello & welcome", statusCallbackURL: callbackURL),
                    credentials: LiveSandbox.twilio)
                #expect(acceptance.carrierMessageID.hasPrefix("SM") && acceptance.carrierMessageID.count == 34)
                #expect(acceptance.status == .queued)
                try await eventually("two status callbacks") { receiver.received.count >= 2 }

                var reports: [CarrierStatusReport] = []
                for delivery in receiver.received {
                    let parameters = try #require(FormURLEncoding.decode(delivery.body))
                    let signature = try #require(delivery.headers.value("X-Twilio-Signature"))
                    #expect(
                        TwilioStatusCallback.isValid(
                            signature: signature, url: callbackURL, parameters: parameters, authToken: LiveSandbox.twilioToken))
                    // One change at a time, each to a value that really differs, does not verify: each parameter
                    // changed, each dropped, one added.
                    for index in parameters.indices {
                        var changed = parameters
                        changed[index].1 = Self.differentValue(parameters[index].1)
                        #expect(changed[index].1 != parameters[index].1)
                        #expect(
                            !TwilioStatusCallback.isValid(
                                signature: signature, url: callbackURL, parameters: changed, authToken: LiveSandbox.twilioToken),
                            "\(parameters[index].0) changed")
                        var dropped = parameters
                        dropped.remove(at: index)
                        #expect(
                            !TwilioStatusCallback.isValid(
                                signature: signature, url: callbackURL, parameters: dropped, authToken: LiveSandbox.twilioToken),
                            "\(parameters[index].0) dropped")
                    }
                    #expect(
                        !TwilioStatusCallback.isValid(
                            signature: signature, url: callbackURL, parameters: parameters + [("Extra", "1")], authToken: LiveSandbox.twilioToken))
                    #expect(
                        !TwilioStatusCallback.isValid(
                            signature: signature, url: callbackURL + "?x=1", parameters: parameters, authToken: LiveSandbox.twilioToken))
                    #expect(!TwilioStatusCallback.isValid(signature: signature, url: callbackURL, parameters: parameters, authToken: "another-token"))
                    #expect(parameters.contains { $0 == ("AccountSid", LiveSandbox.twilioSID) })
                    #expect(parameters.contains { $0 == ("ApiVersion", "2010-04-01") })
                    #expect(parameters.contains { $0 == ("To", "+15551230001") })
                    reports.append(try TwilioStatusCallback.report(parameters: parameters))
                }
                #expect(reports.map(\.status) == [.sent, .delivered])
                #expect(reports.allSatisfy { $0.carrierMessageID == acceptance.carrierMessageID && $0.failedReason == nil })

                // The Sandbox records a callback's attempt once the receiver has answered it: wait for the second record.
                var logged = try await sandbox.messages(to: "+15551230001")
                for _ in 0..<100 where (logged.first?.callbacks.count ?? 0) < 2 {
                    try await Task.sleep(for: .milliseconds(100))
                    logged = try await sandbox.messages(to: "+15551230001")
                }
                #expect(logged.map(\.body) == ["Hello & welcome"])
                #expect(logged.first?.callbacks.map(\.status) == ["sent", "delivered"])
                #expect(logged.first?.callbacks.allSatisfy { $0.delivered && $0.attempts.first?.httpStatus == 200 } == true)
            }
        }
    }

    /// Another value for a callback parameter: another status for a status, else the value with a character more.
    static func differentValue(_ value: String) -> String {
        ["sent": "delivered", "delivered": "undelivered", "undelivered": "delivered", "failed": "sent"][value] ?? value + "0"
    }

    @Test func twilioFailedAndUndeliveredNumbersReportTheirErrorCodes() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { callbackURL in
            try await LiveSandbox.run { sandbox in
                let client = sandbox.client(.twilio)
                for to in ["+15551230000", "+15551239999"] {
                    _ = try await client.send(
                        CarrierSendRequest(from: "+15550001111", to: to, body: "Hi", statusCallbackURL: callbackURL), credentials: LiveSandbox.twilio)
                }
                try await eventually("three status callbacks") { receiver.received.count >= 3 }
                let reports = try receiver.received.map { try TwilioStatusCallback.report(parameters: try #require(FormURLEncoding.decode($0.body))) }
                let failed = try #require(reports.first { $0.status == .failed })
                #expect(failed.failedReason == "Twilio failed (error 30005: Unknown destination handset)")
                let undelivered = try #require(reports.first { $0.status == .undelivered })
                #expect(undelivered.failedReason == "Twilio undelivered (error 30003: Unreachable destination handset)")
                #expect(reports.filter { $0.status == .sent }.count == 1)
            }
        }
    }

    @Test func twilioRefusalsCarryTheCarriersCode() async throws {
        try await LiveSandbox.run { sandbox in
            let client = sandbox.client(.twilio)
            var wrong = LiveSandbox.twilio
            wrong.authToken = "not-the-token"
            #expect(
                await sendError(client, to: "+15551230001", credentials: wrong) == .rejected(httpStatus: 401, code: "20003", message: "Authenticate"))
            let badTo = await sendError(client, to: "555-CALL-NOW", credentials: LiveSandbox.twilio)
            #expect(badTo == .rejected(httpStatus: 400, code: "21211", message: "The 'To' number 555-CALL-NOW is not a valid phone number."))
            #expect(badTo?.isRetryable == false)
            #expect(badTo?.reason == "rejected (HTTP 400, code 21211): The 'To' number 555-CALL-NOW is not a valid phone number.")
            let noBody = await sendError(client, to: "+15551230001", body: "", credentials: LiveSandbox.twilio)
            #expect(noBody == .rejected(httpStatus: 400, code: "21602", message: "Message body is required."))
            let badFrom = await sendError(client, to: "+15551230001", from: "not a number!", credentials: LiveSandbox.twilio)
            if case .rejected(400, "21212", _) = badFrom {} else { Issue.record("a bad From: \(String(describing: badFrom))") }
        }
    }

    /// Twilio's "try later" codes come with a 4xx, but are not its final word on the message.
    @Test(arguments: [
        (400, 21611, "This 'From' number has exceeded the maximum number of queued messages"), (429, 20429, "Too Many Requests"),
        (400, 30001, "Queue overflow"), (400, 63017, "Rate limit exceeded"),
    ])
    func twilioTryLaterCodesAreUnavailable(status: Int, code: Int, message: String) async throws {
        let carrier = FakeCarrier(
            status: .init(code: status), body: #"{"code": \#(code), "message": "\#(message)", "more_info": "", "status": \#(status)}"#)
        try await carrier.run { baseURL in
            let client = CarrierClient(kind: .twilio, baseURL: baseURL, httpClient: .shared)
            let error = await sendError(client, to: "+15551230001", credentials: LiveSandbox.twilio)
            #expect(error == .unavailable("Twilio answered \(status) (code \(code)): \(message)"))
            #expect(error?.isRetryable == true)
        }
    }

    @Test func twilioOtherCodesOnA400StayRejected() async throws {
        let carrier = FakeCarrier(
            status: .badRequest, body: #"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "", "status": 400}"#)
        try await carrier.run { baseURL in
            let client = CarrierClient(kind: .twilio, baseURL: baseURL, httpClient: .shared)
            let error = await sendError(client, to: "+15551230001", credentials: LiveSandbox.twilio)
            #expect(error == .rejected(httpStatus: 400, code: "21610", message: "Attempt to send to unsubscribed recipient"))
        }
    }

    /// The account SID reaches the carrier as one path segment, its non-ASCII letters and reserved characters
    /// percent-encoded as UTF-8 (the encoding itself: `pathSegmentsEncodeEverythingButUnreservedASCII`).
    @Test func twilioEncodesANonASCIIAccountSIDInThePath() async throws {
        let carrier = FakeCarrier(status: .unauthorized, body: #"{"code": 20003, "message": "Authenticate", "more_info": "", "status": 401}"#)
        try await carrier.run { baseURL in
            let client = CarrierClient(kind: .twilio, baseURL: baseURL, httpClient: .shared)
            let credentials = CarrierCredentials(accountSID: "ACé٣ x/y", authToken: "token")
            let error = await sendError(client, to: "+15551230001", credentials: credentials)
            #expect(error == .rejected(httpStatus: 401, code: "20003", message: "Authenticate"))
            #expect(carrier.requestedPaths == ["/2010-04-01/Accounts/AC%C3%A9%D9%A3%20x%2Fy/Messages.json"])
        }
    }

    @Test func twilioAcceptsAMessagingServiceSidAsTheSender() async throws {
        try await LiveSandbox.run { sandbox in
            let acceptance = try await sandbox.client(.twilio).send(
                CarrierSendRequest(from: "MG" + String(repeating: "a", count: 32), to: "+15551230002", body: "Pooled"),
                credentials: LiveSandbox.twilio)
            // Twilio answers `accepted` for a Messaging Service send: still our `queued`.
            #expect(acceptance.status == .queued)
        }
    }

    // MARK: Telnyx

    @Test func telnyxAcceptsThenReportsSentAndFinalizedWithValidSignatures() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { callbackURL in
            try await LiveSandbox.run { sandbox in
                let acceptance = try await sandbox.client(.telnyxsms).send(
                    CarrierSendRequest(from: "+15550002222", to: "+15551240001", body: "Hello", statusCallbackURL: callbackURL),
                    credentials: LiveSandbox.telnyx)
                #expect(UUID(uuidString: acceptance.carrierMessageID) != nil)
                #expect(acceptance.status == .queued)
                try await eventually("two webhooks") { receiver.received.count >= 2 }

                let publicKey = try #require(LiveSandbox.telnyx.webhookPublicKey)
                var reports: [CarrierStatusReport] = []
                for delivery in receiver.received {
                    let body = Array(delivery.body.utf8)
                    let signature = try #require(delivery.headers.value("telnyx-signature-ed25519"))
                    let timestamp = try #require(delivery.headers.value("telnyx-timestamp"))
                    #expect(TelnyxWebhook.isValid(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: .now))
                    // A changed body, another key or another timestamp does not verify.
                    let tampered = Array(delivery.body.replacingOccurrences(of: "+15551240001", with: "+15551240002").utf8)
                    #expect(!TelnyxWebhook.isValid(body: tampered, signature: signature, timestamp: timestamp, publicKey: publicKey, now: .now))
                    let otherKey = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
                    #expect(!TelnyxWebhook.isValid(body: body, signature: signature, timestamp: timestamp, publicKey: otherKey, now: .now))
                    #expect(
                        !TelnyxWebhook.isValid(
                            body: body, signature: signature, timestamp: String(Int(timestamp)! - 1), publicKey: publicKey, now: .now))
                    reports.append(try #require(try TelnyxWebhook.report(body: body)))
                }
                #expect(reports.map(\.status) == [.sent, .delivered])
                #expect(reports.allSatisfy { $0.carrierMessageID == acceptance.carrierMessageID && $0.failedReason == nil })
                #expect(receiver.received.first?.body.contains(#""event_type":"message.sent""#) == true)
                #expect(receiver.received.last?.body.contains(#""event_type":"message.finalized""#) == true)
            }
        }
    }

    @Test func telnyxFailedAndUndeliveredNumbersMapOntoOurStatuses() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { callbackURL in
            try await LiveSandbox.run { sandbox in
                let client = sandbox.client(.telnyxsms)
                for to in ["+15551240000", "+15551249999"] {
                    _ = try await client.send(
                        CarrierSendRequest(from: "+15550002222", to: to, body: "Hi", statusCallbackURL: callbackURL), credentials: LiveSandbox.telnyx)
                }
                try await eventually("three webhooks") { receiver.received.count >= 3 }
                let reports = try receiver.received.compactMap { try TelnyxWebhook.report(body: Array($0.body.utf8)) }
                let failed = try #require(reports.first { $0.status == .failed })
                #expect(failed.failedReason?.hasPrefix("Telnyx sending_failed (error 40002") == true)
                let undelivered = try #require(reports.first { $0.status == .undelivered })
                #expect(undelivered.failedReason?.hasPrefix("Telnyx delivery_failed (error 40300") == true)
            }
        }
    }

    @Test func telnyxRefusalsCarryTheCarriersCode() async throws {
        try await LiveSandbox.run { sandbox in
            let client = sandbox.client(.telnyxsms)
            var wrong = LiveSandbox.telnyx
            wrong.apiKey = "KEYwrong"
            let unauthorized = await sendError(client, to: "+15551240001", credentials: wrong)
            if case .rejected(401, "10009", let message) = unauthorized {
                #expect(message.hasPrefix("Authentication failed"))
            } else {
                Issue.record("wrong key: \(String(describing: unauthorized))")
            }
            let badTo = await sendError(client, to: "5551240001", credentials: LiveSandbox.telnyx)
            #expect(badTo == .rejected(httpStatus: 400, code: "40310", message: "Invalid 'to' address: The 'to' address should be in E.164 format."))
            let noText = await sendError(client, to: "+15551240001", body: "", credentials: LiveSandbox.telnyx)
            if case .rejected(400, "10004", let message) = noText {
                #expect(message.contains("'text'"))
            } else {
                Issue.record("no text: \(String(describing: noText))")
            }
        }
    }

    /// Telnyx documents `code` as a string; a number must not cost the error its title and detail.
    @Test func telnyxNumericErrorCodesAreRead() async throws {
        let carrier = FakeCarrier(
            status: .init(code: 422),
            body: #"{"errors": [{"code": 40310, "title": "Invalid 'to' address", "detail": "The 'to' address should be in E.164 format."}]}"#)
        try await carrier.run { baseURL in
            let client = CarrierClient(kind: .telnyxsms, baseURL: baseURL, httpClient: .shared)
            let error = await sendError(client, to: "+15551240001", credentials: LiveSandbox.telnyx)
            #expect(
                error == .rejected(httpStatus: 422, code: "40310", message: "Invalid 'to' address: The 'to' address should be in E.164 format."))
        }
    }

    // MARK: Both carriers

    @Test(arguments: CarrierKind.allCases)
    func aCarrierAnswering503IsUnavailable(kind: CarrierKind) async throws {
        try await LiveSandbox.run { sandbox in
            let credentials = kind == .twilio ? LiveSandbox.twilio : LiveSandbox.telnyx
            let error = await sendError(sandbox.client(kind), to: "+15551235030", credentials: credentials)
            guard case .unavailable(let message) = error else {
                Issue.record("\(kind): \(String(describing: error))")
                return
            }
            #expect(message.contains("503"))
            #expect(error?.isRetryable == true)
        }
    }

    @Test(arguments: CarrierKind.allCases)
    func aCarrierAnsweringGarbageIsUnreadable(kind: CarrierKind) async throws {
        try await LiveSandbox.run { sandbox in
            let credentials = kind == .twilio ? LiveSandbox.twilio : LiveSandbox.telnyx
            let error = await sendError(sandbox.client(kind), to: "+15551234220", credentials: credentials)
            guard case .unreadable(let message) = error else {
                Issue.record("\(kind): \(String(describing: error))")
                return
            }
            #expect(message.contains("It works!"))
            #expect(error?.isRetryable == false)
        }
    }

    @Test(arguments: CarrierKind.allCases)
    func aBaseURLNobodyListensOnIsUnavailable(kind: CarrierKind) async throws {
        // The HTTP client retries a refused connection until the deadline, so the timeout bounds this too.
        let base = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
        let client = CarrierClient(kind: kind, baseURL: base, httpClient: .shared, timeout: .milliseconds(500))
        let credentials = kind == .twilio ? LiveSandbox.twilio : LiveSandbox.telnyx
        let error = await sendError(client, to: "+15551230001", credentials: credentials)
        #expect(error?.isRetryable == true)
        guard case .unavailable = error else {
            Issue.record("\(kind): \(String(describing: error))")
            return
        }
    }

    @Test(arguments: CarrierKind.allCases)
    func aCarrierThatHangsIsUnavailableAfterTheTimeout(kind: CarrierKind) async throws {
        // The carrier answers only once the test is done (at most 20 s), so a client that ignored its 200 ms timeout
        // would take far longer than the bound below, which leaves a loaded machine seconds of room.
        let released = Gate()
        let router = Router()
        router.post("**") { _, _ -> HTTPResponse.Status in
            let until = ContinuousClock.now + .seconds(20)
            while !released.isOpen, ContinuousClock.now < until { try await Task.sleep(for: .milliseconds(20)) }
            return .ok
        }
        let hanging = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await hanging.test(.live) { server in
            let client = CarrierClient(kind: kind, baseURL: "http://127.0.0.1:\(server.port!)", httpClient: .shared, timeout: .milliseconds(200))
            let credentials = kind == .twilio ? LiveSandbox.twilio : LiveSandbox.telnyx
            let started = ContinuousClock.now
            let error = await sendError(client, to: "+15551230001", credentials: credentials)
            #expect(ContinuousClock.now - started < .seconds(5))
            released.open()
            guard case .unavailable(let message) = error else {
                Issue.record("\(kind): \(String(describing: error))")
                return
            }
            #expect(message.contains("did not answer within 200 ms"))
        }
    }

    @Test(arguments: CarrierKind.allCases)
    func credentialsMissingAMemberAreRejectedBeforeSending(kind: CarrierKind) async throws {
        let client = CarrierClient(kind: kind, baseURL: "http://127.0.0.1:\(TestConfiguration.refusingPort)", httpClient: .shared)
        var credentials = kind == .twilio ? LiveSandbox.twilio : LiveSandbox.telnyx
        if kind == .twilio { credentials.authToken = "" } else { credentials.webhookPublicKey = nil }
        let error = await sendError(client, to: "+15551230001", credentials: credentials)
        let member = kind == .twilio ? "authToken" : "webhookPublicKey"
        #expect(credentials.missingMember(for: kind) == member)
        #expect(error == .rejected(httpStatus: 0, code: nil, message: "the channel account's \(kind.displayName) credentials have no \(member)"))
    }

    @Test func aCallbackIsRetriedUntilTheReceiverTakesIt() async throws {
        let receiver = WebhookReceiver(answers: [.internalServerError, .serviceUnavailable])
        try await receiver.run { callbackURL in
            try await LiveSandbox.run { sandbox in
                _ = try await sandbox.client(.twilio).send(
                    CarrierSendRequest(from: "+15550001111", to: "+15551230003", body: "Retry", statusCallbackURL: callbackURL),
                    credentials: LiveSandbox.twilio)
                try await eventually("three tries of sent and one of delivered") { receiver.received.count >= 4 }
                let statuses = receiver.received.map { FormURLEncoding.decode($0.body)?.first { $0.0 == "MessageStatus" }?.1 }
                #expect(statuses == ["sent", "sent", "sent", "delivered"])
                try await eventually("the log shows the attempts") {
                    try await sandbox.messages(to: "+15551230003").first?.callbacks.count == 2
                }
                let callbacks = try await sandbox.messages(to: "+15551230003").first?.callbacks ?? []
                #expect(callbacks.first?.attempts.map(\.httpStatus) == [500, 503, 200])
                #expect(callbacks.allSatisfy { $0.delivered })
            }
        }
    }

    @Test func aCallbackIsGivenUpAfterTheConfiguredAttempts() async throws {
        let receiver = WebhookReceiver(answers: Array(repeating: .badGateway, count: 10))
        try await receiver.run { callbackURL in
            try await LiveSandbox.run(["sandbox.callbackAttempts": 2]) { sandbox in
                _ = try await sandbox.client(.telnyxsms).send(
                    CarrierSendRequest(from: "+15550002222", to: "+15551240004", body: "Nobody home", statusCallbackURL: callbackURL),
                    credentials: LiveSandbox.telnyx)
                // Once the log shows both webhooks with their two attempts, the dispatcher is done with the message:
                // the receiver has had every request it will ever get.
                try await eventually("two tries of each webhook, logged") {
                    let callbacks = try await sandbox.messages(to: "+15551240004").first?.callbacks ?? []
                    return callbacks.count == 2 && callbacks.allSatisfy { $0.attempts.count == 2 }
                }
                #expect(receiver.received.count == 4)
                // Each attempt names itself in meta.attempt, so each is signed afresh.
                #expect(receiver.received.map { $0.body.contains(#""attempt":2"#) } == [false, true, false, true])
                let callbacks = try await sandbox.messages(to: "+15551240004").first?.callbacks ?? []
                #expect(callbacks.map(\.delivered) == [false, false])
            }
        }
    }
}

/// A flag a test opens once, read by a handler.
final class Gate: Sendable {
    private let state = Mutex(false)
    var isOpen: Bool { self.state.withLock { $0 } }
    func open() { self.state.withLock { $0 = true } }
}
