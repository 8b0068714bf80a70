import AsyncHTTPClient
import Carriers
import Configuration
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

@testable import Sandbox

/// The Sandbox running in process on a free port, with fast callbacks and a known Telnyx signing key.
struct LiveSandbox {
    static let signingKey = Curve25519.Signing.PrivateKey()
    static let twilioSID = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "test-twilio-token"
    static let telnyxKey = "KEYtest-telnyx"

    static var twilio: CarrierCredentials { CarrierCredentials(accountSID: twilioSID, authToken: twilioToken) }
    static var telnyx: CarrierCredentials {
        CarrierCredentials(apiKey: telnyxKey, webhookPublicKey: signingKey.publicKey.rawRepresentation.base64EncodedString())
    }

    let baseURL: String

    func client(_ kind: CarrierKind, timeout: TimeAmount = .seconds(5)) -> CarrierClient {
        CarrierClient(kind: kind, baseURL: self.baseURL, httpClient: .shared, timeout: timeout)
    }

    /// `GET /sandbox/messages?to=`.
    func messages(to: String) async throws -> [MessageLog.Message] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(self.baseURL)/sandbox/messages?to=\(to.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"),
            timeout: .seconds(5))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([String: [MessageLog.Message]].self, from: try await response.body.collect(upTo: 1 << 20))["messages"] ?? []
    }

    /// Runs `body` against a live Sandbox; `values` override the test settings.
    static func run(_ values: [AbsoluteConfigKey: ConfigValue] = [:], _ body: @Sendable (LiveSandbox) async throws -> Void) async throws {
        var settings: [AbsoluteConfigKey: ConfigValue] = [
            "http.port": 0, "log.level": "critical",
            "sandbox.twilio.accountSID": .init(.string(twilioSID), isSecret: false),
            "sandbox.twilio.authToken": .init(.string(twilioToken), isSecret: true),
            "sandbox.telnyx.apiKey": .init(.string(telnyxKey), isSecret: true),
            "sandbox.telnyx.signingKey": .init(.string(signingKey.rawRepresentation.base64EncodedString()), isSecret: true),
            "sandbox.callbackDelay": 0.01, "sandbox.retryDelay": 0.05,
        ]
        settings.merge(values) { $1 }
        let app = try await buildSandbox(reader: ConfigReader(provider: InMemoryProvider(values: settings)))
        try await app.test(.live) { client in
            try await body(LiveSandbox(baseURL: "http://127.0.0.1:\(client.port!)"))
        }
    }
}

/// A carrier that answers every POST with one status and body, for answers the Sandbox never gives; it records the
/// request paths it was sent.
final class FakeCarrier: Sendable {
    let status: HTTPResponse.Status
    let body: String
    private let paths = Mutex<[String]>([])

    init(status: HTTPResponse.Status, body: String) {
        self.status = status
        self.body = body
    }

    /// The paths requested so far, percent-encoding as sent.
    var requestedPaths: [String] { self.paths.withLock { $0 } }

    /// Runs on a free port for the duration of `body`, given its base URL.
    func run(_ body: @Sendable (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        router.post("**") { request, _ -> Response in
            self.paths.withLock { $0.append(request.uri.path) }
            return Response(
                status: self.status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: self.body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}

/// Waits until `condition` holds (callbacks arrive asynchronously), failing after fifteen seconds: it returns as
/// soon as the condition holds, so the long deadline costs nothing but spares a loaded machine a false failure.
func eventually(_ what: Comment, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(15)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting: \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// The error a send ends with, or nil when it was accepted.
func sendError(
    _ client: CarrierClient, to: String, from: String = "+15550001111", body: String = "Hello", credentials: CarrierCredentials
)
    async -> CarrierError?
{
    do {
        _ = try await client.send(CarrierSendRequest(from: from, to: to, body: body), credentials: credentials)
        return nil
    } catch {
        return error
    }
}

/// The header's value in a received delivery.
extension HTTPFields {
    func value(_ name: String) -> String? { HTTPField.Name(name).flatMap { self[$0] } }
}
