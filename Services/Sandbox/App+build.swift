import AsyncHTTPClient
import Configuration
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import ServiceKit

/// Builds the Sandbox: our stand-ins for Twilio's and Telnyx's messaging APIs, speaking their HTTP wire protocols
/// (decision 142). Accounts and timings are ``SandboxSettings``; the destination number chooses the outcome (``Outcome``).
///
/// Routes: Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, Telnyx's `POST /v2/messages`, and ours:
/// `GET /sandbox/messages` (`?to=`, `?carrier=twilio|telnyx`), `GET /sandbox/telnyx/public-key`, `GET /healthz`, `GET /readyz`; and
/// the SMTP receiver's mail, `GET /sandbox/mail` (`?to=`), `DELETE /sandbox/mail` and `PUT /sandbox/mail/refusing`, received on
/// `sandbox.smtp.port`.
func buildSandbox(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let settings = try SandboxSettings(reader: reader)
    let logger = {
        var logger = Logger(label: "sandbox")
        logger.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        return logger
    }()
    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.redirectConfiguration = .disallow
    clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(30))
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    let log = MessageLog(keep: settings.keep)
    let dispatcher = CallbackDispatcher(settings: settings, httpClient: httpClient, log: log, logger: logger)

    let router = Router()
    TwilioSandbox(settings: settings, log: log, dispatcher: dispatcher).addRoutes(to: router)
    TelnyxSandbox(settings: settings, log: log, dispatcher: dispatcher).addRoutes(to: router)
    router.get("/sandbox/messages") { request, _ -> Response in
        let messages = log.list(
            to: request.uri.queryParameters["to"].map(String.init), carrier: request.uri.queryParameters["carrier"].map(String.init))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(["messages": messages])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
    let mailbox = SMTPSandbox.Mailbox(keep: settings.keep)
    router.get("/sandbox/mail") { request, _ -> Response in
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(["mail": mailbox.list(to: request.uri.queryParameters["to"].map(String.init))])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
    router.delete("/sandbox/mail") { _, _ -> HTTPResponse.Status in
        mailbox.clear()
        return .noContent
    }
    router.put("/sandbox/mail/refusing") { request, context -> HTTPResponse.Status in
        let refusing = try await request.decode(as: Bool.self, context: context)
        mailbox.setRefusing(refusing)
        return .noContent
    }
    router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
    router.get("/readyz") { _, _ in HTTPResponse.Status.ok }

    var app = Application(
        router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Sandbox"), logger: logger)
    app.addServices(HTTPClientService(client: httpClient), dispatcher)
    if settings.smtpPort > 0 {
        let credentials = settings.smtpUsername.flatMap { user in settings.smtpPassword.map { (username: user, password: $0) } }
        app.addServices(SMTPSandbox(host: settings.host, port: settings.smtpPort, mailbox: mailbox, logger: logger, credentials: credentials))
    }
    app.beforeServerStarts {
        logger.info(
            "Telnyx webhooks are signed with this key",
            metadata: ["publicKey": "\(settings.telnyxPublicKey)", "configured": "\(settings.signingKeyConfigured)"])
    }
    return app
}
