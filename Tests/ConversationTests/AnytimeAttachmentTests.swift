import Configuration
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing
import WireModels

@testable import Conversation

/// `/attachments` (seed 000 L694–L727, spec §5.13, decision 262): upload as multipart, download at the url while
/// available, gone after delete; another site's attachment is 404; bad uploads are 4xx naming the problem.
@Suite("Anytime API: attachments")
struct AnytimeAttachmentTests {
    static let boundary = "----switchboard-test-boundary"

    static func multipart(name: String = "file", fileName: String? = "invoice.pdf", type: String = "application/pdf", data: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("--\(Self.boundary)\r\n")
        let filename = fileName.map { "; filename=\"\($0)\"" } ?? ""
        buffer.writeString("Content-Disposition: form-data; name=\"\(name)\"\(filename)\r\nContent-Type: \(type)\r\n\r\n")
        buffer.writeBytes(data)
        buffer.writeString("\r\n--\(Self.boundary)--\r\n")
        return buffer
    }

    func upload(
        _ api: AnytimeTestClient, _ body: ByteBuffer, contentType: String = "multipart/form-data; boundary=\(Self.boundary)",
        as agent: AgentDirectory.Agent = AgentDirectory.admin
    ) async throws -> AnytimeTestClient.Reply {
        let response = try await api.client.execute(
            uri: "/api/v3/anytime/attachments?siteId=\(agent.site)", method: .post,
            headers: [.authorization: agent.credential, .contentType: contentType], body: body)
        return AnytimeTestClient.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// The download path of an attachment's url.
    func download(_ api: AnytimeTestClient, _ attachment: AnytimeAttachment) async throws -> AnytimeTestClient.Reply {
        let path = try #require(URL(string: attachment.url)?.path)
        let response = try await api.client.execute(uri: path, method: .get)
        return AnytimeTestClient.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    @Test("An upload is downloadable at its url without credentials while available, and gone after delete")
    func lifecycle() async throws {
        try await AnytimeTestClient.run { api in
            let bytes: [UInt8] = Array("%PDF-1.4 invoice".utf8) + [0, 255, 13, 10, 45, 45]
            let reply = try await self.upload(api, Self.multipart(data: bytes))
            #expect(reply.status == .created, "\(reply.text)")
            let attachment = try reply.decode(AnytimeAttachment.self)
            #expect(attachment.fileName == "invoice.pdf" && attachment.isAvailable)
            #expect(attachment.url.hasPrefix("http://127.0.0.1:8080/api/v3/anytime/attachments/\(attachment.id)"))

            let file = try await self.download(api, attachment)
            #expect(file.status == .ok)
            #expect(Array(buffer: file.body) == bytes)
            #expect(file.headers[.contentType] == "application/pdf")
            #expect(file.headers[.contentDisposition] == #"attachment; filename="invoice.pdf""#)

            // Not available: the link stops working, and works again once it is.
            #expect(
                try await api.put("/attachments/\(attachment.id)", #"{"isAvailable": false}"#).decode(AnytimeAttachment.self).isAvailable == false)
            #expect(try await self.download(api, attachment).status == .notFound)
            #expect(try await api.put("/attachments/\(attachment.id)", #"{"isAvailable": true}"#).status == .ok)
            #expect(try await self.download(api, attachment).status == .ok)

            // Another site can neither change nor delete it.
            #expect(try await api.put("/attachments/\(attachment.id)", #"{"isAvailable": false}"#, as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.delete("/attachments/\(attachment.id)", as: AgentDirectory.otherSite).status == .notFound)

            #expect(try await api.delete("/attachments/\(attachment.id)").status == .noContent)
            #expect(try await self.download(api, attachment).status == .notFound)
            #expect(try await api.delete("/attachments/\(attachment.id)").status == .notFound)
            #expect(try await api.put("/attachments/\(attachment.id)", #"{"isAvailable": true}"#).status == .notFound)
        }
    }

    @Test("Bad uploads and updates: 4xx naming the problem, never a 500")
    func refusals() async throws {
        try await AnytimeTestClient.run { api in
            let noCredential = try await api.client.execute(
                uri: "/api/v3/anytime/attachments", method: .post, headers: [.contentType: "multipart/form-data; boundary=x"],
                body: ByteBuffer(string: "--x--"))
            #expect(noCredential.status == .unauthorized)
            let cases: [(ByteBuffer, String, HTTPResponse.Status, String)] = [
                (Self.multipart(data: [1]), "application/json", .unsupportedMediaType, "multipart/form-data"),
                (Self.multipart(name: "upload", data: [1]), "multipart/form-data; boundary=\(Self.boundary)", .badRequest, "file"),
                (Self.multipart(fileName: nil, data: [1]), "multipart/form-data; boundary=\(Self.boundary)", .badRequest, "file"),
                (Self.multipart(fileName: "../etc/passwd", data: [1]), "multipart/form-data; boundary=\(Self.boundary)", .badRequest, "file"),
                (ByteBuffer(string: "--\(Self.boundary)\r\nbroken"), "multipart/form-data; boundary=\(Self.boundary)", .badRequest, "multipart"),
                (Self.multipart(data: [1]), "multipart/form-data", .badRequest, "boundary"),
            ]
            for (body, contentType, status, words) in cases {
                let reply = try await self.upload(api, body, contentType: contentType)
                #expect(reply.status == status, "\(words): \(reply.status) \(reply.text)")
                #expect(reply.message.contains(words), "\(words): \(reply.text)")
            }
            let made = try await self.upload(api, Self.multipart(data: [1])).decode(AnytimeAttachment.self)
            for (body, words) in [("{}", "isAvailable"), (#"{"isAvailable": "yes"}"#, "isAvailable")] {
                let reply = try await api.put("/attachments/\(made.id)", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(reply.text)")
            }
            #expect(try await api.put("/attachments/not-a-guid", #"{"isAvailable": true}"#).status == .badRequest)
            #expect(try await api.client.execute(uri: "/api/v3/anytime/attachments/not-a-guid/download", method: .get).status == .badRequest)
        }
    }

    @Test("A file over attachments.maxSize is a 400 naming it; the limit is configuration")
    func sizeLimit() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await AgentDirectory.run { url in
            let app = try await buildApplication(
                reader: TestConfiguration.reader([
                    "peers.livechatConfig.url": .init(.string(url), isSecret: false), "attachments.maxSize": 1000,
                    "attachments.publicBaseURL": .init(.string("https://files.example.com/"), isSecret: false),
                ]), clock: clock.wallClock)
            try await app.test(.router) { client in
                let api = AnytimeTestClient(client: client, clock: clock)
                let big = try await self.upload(api, Self.multipart(data: [UInt8](repeating: 7, count: 1001)))
                #expect(big.status == .badRequest && big.message.contains("file") && big.message.contains("1000"), "\(big.text)")
                let fits = try await self.upload(api, Self.multipart(data: [UInt8](repeating: 7, count: 1000)))
                #expect(fits.status == .created)
                #expect(try fits.decode(AnytimeAttachment.self).url.hasPrefix("https://files.example.com/api/v3/anytime/attachments/"))
            }
        }
    }
}
