import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import SinchCMI

@Suite("sinch-cmi endpoints in XML")
struct XMLEndpointTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    static let xml: HTTPFields = [.authorization: admin, .contentType: "application/xml", .accept: "application/xml"]

    @Test("Every writing endpoint takes an XML body and every reading endpoint answers XML")
    func everyEndpoint() async throws {
        let clock = ManualClock()
        try await buildApplication(reader: TestConfiguration.reader(), clock: clock.wallClock).test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: Self.xml, body: ByteBuffer(string: body))
            }
            #expect(
                try await call(.put, "/RI/cmi-admin/settings", "<settings><callbackIvrNumber>+358201234567</callbackIvrNumber></settings>").status
                    == .noContent)
            #expect(
                try await call(
                    .put, "/RI/cmi-admin/queues/97C9F85A2F55484198FD908C6A97FA7D",
                    "<queue><id>97C9F85A2F55484198FD908C6A97FA7D</id><name>SMS</name><addresses>12345678@sms.social365.com</addresses></queue>"
                ).status == .noContent)
            #expect(
                try await call(
                    .put, "/RI/cmi-admin/callRecordings/A0000000000000000000000000000001",
                    "<callRecording><id>A0000000000000000000000000000001</id><call_id>CA000000000000000000000000000001</call_id><contact_id>CC000000000000000000000000000001</contact_id><owner_id>0A000000000000000000000000000001</owner_id><owner_type>queue</owner_type><owner_name>SMS</owner_name><file_name>x.wav</file_name><file_path></file_path><creation_time>2017-07-01T10:00:00Z</creation_time></callRecording>"
                ).status == .noContent)

            // Writing endpoints with XML bodies.
            let callback = try await call(
                .post, "/RI/cmi/callbacks",
                "<callback><callbackQueueNumber>505</callbackQueueNumber><customerNumber>85412369512</customerNumber></callback>")
            #expect(callback.status == .created)
            let callbackID = String(buffer: callback.body)
            #expect(
                try await call(
                    .put, "/RI/cmi/callbacks/\(callbackID)",
                    "<callback><customerNumber>1</customerNumber><notes>n</notes><lastResult>BUSY</lastResult></callback>"
                ).status == .noContent)
            let message = try await call(
                .post, "/RI/cmi/messages",
                "<message><message>Hi</message><source>12345678@sms.social365.com</source><subType>sms</subType><sendTime>2030-01-01T00:00:00Z</sendTime><destinations><destination><address>+358401234567</address></destination></destinations></message>"
            )
            #expect(message.status == .created)
            let messageID = String(buffer: message.body)
            #expect(
                try await call(
                    .put, "/RI/cmi/messages/\(messageID)",
                    "<message><message>Hi again</message><source>12345678@sms.social365.com</source><subType>sms</subType><sendTime>2030-01-01T00:00:00Z</sendTime><destinations><destination><address>+358401234567</address></destination></destinations></message>"
                ).status == .noContent)
            #expect(
                try await call(
                    .post, "/RI/cmi/callRecordings/A0000000000000000000000000000001/listenLog",
                    "<listenLog><description>quality check</description><userSessionId>6936084DBA3C4941C80F2CB2E3EC00E3</userSessionId></listenLog>"
                ).status == .created)
            #expect(
                try await call(
                    .post, "/RI/cmi/customerConsents",
                    "<customerConsent><address>+1</address><usage>whatsapp</usage><consent>true</consent></customerConsent>"
                ).status == .noContent)

            // Reading endpoints in XML, each under its list or object root.
            for (uri, root) in [
                ("/RI/cmi/emails", "<emails"), ("/RI/cmi/scriptResults", "<scriptResults"), ("/RI/cmi/chats", "<chats"),
                ("/RI/cmi/callRecordings", "<callRecordings><callRecording>"),
                ("/RI/cmi/callRecordings/A0000000000000000000000000000001", "<callRecording>"),
                ("/RI/cmi/callRecordings/A0000000000000000000000000000001/listenLog", "<listenLogs><listenLog>"),
                ("/RI/cmi/callbacks", "<callbacks><callback>"), ("/RI/cmi/callbacks/\(callbackID)", "<callback>"),
                ("/RI/cmi/contacts", "<contacts"), ("/RI/cmi/messages", "<messages><message>"), ("/RI/cmi/messages/\(messageID)", "<message>"),
                ("/RI/cmi/customerConsents", "<customerConsents><customerConsent>"), ("/RI/cmi/customerConsents/whatsapp_+1", "<customerConsent>"),
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "application/xml", "\(uri)")
                #expect(String(buffer: response.body).contains(root), "\(uri): \(String(buffer: response.body).prefix(200))")
            }
        }
    }
}
