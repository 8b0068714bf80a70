import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import Synchronization
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot messages")
struct MessageTests {
    @Test("Messages: outgoing, incoming, private, echo_id; the list's meta and pages; unread counts; delete keeps a placeholder")
    func messages() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann", email: "ann@example.com")
            let id = try await client.conversation(inbox: inbox, contact: contact, extra: #", "message": {"content": "Welcome"}"#)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            let sent = try await client.chatwoot(
                .post, path + "/messages", json: #"{"content": "Hi Ann", "echo_id": "e-1", "content_attributes": {"in_reply_to": null}}"#)
            #expect(sent.status == .ok)
            #expect(sent.object["echo_id"] as? String == "e-1")
            #expect(sent.object["message_type"] as? Int == 1)
            #expect(sent.object["conversation_id"] as? Int == id)
            #expect((sent.object["sender"] as? [String: Any])?["type"] as? String == "user")
            let note = try await client.chatwoot(.post, path + "/messages", json: #"{"content": "internal", "private": true}"#)
            #expect(note.object["private"] as? Bool == true)
            for text in ["one", "two"] {
                let incoming = try await client.chatwoot(.post, path + "/messages", json: #"{"content": "\#(text)", "message_type": "incoming"}"#)
                #expect((incoming.object["sender"] as? [String: Any])?["type"] as? String == "contact")
            }
            let shown = try await client.chatwoot(.get, path)
            #expect(shown.object["unread_count"] as? Int == 2)
            #expect((shown.object["last_non_activity_message"] as? [String: Any])?["content"] as? String == "two")
            #expect(shown.object["first_reply_created_at"] as? Int ?? 0 > 0)

            // Seeing the conversation clears its unread count.
            #expect(try await client.chatwoot(.post, path + "/update_last_seen").status == .ok)
            #expect(try await client.chatwoot(.get, path).object["unread_count"] as? Int == 0)
            let list = try await client.chatwoot(.get, path + "/messages")
            let payload = try #require(list.object["payload"] as? [[String: Any]])
            #expect(payload.compactMap { $0["content"] as? String } == ["Welcome", "Hi Ann", "internal", "one", "two"])
            let meta = try #require(list.object["meta"] as? [String: Any])
            #expect((meta["contact"] as? [String: Any])?["name"] as? String == "Ann")
            // 25 more: the list shows the latest 20, `before` the 20 before a message.
            for index in 0..<25 { try await client.chatwoot(.post, path + "/messages", json: #"{"content": "m\#(index)"}"#) }
            let latest = try #require(try await client.chatwoot(.get, path + "/messages").object["payload"] as? [[String: Any]])
            #expect(latest.count == 20)
            #expect(latest.last?["content"] as? String == "m24")
            let oldest = try #require(latest.first?["id"] as? Int)
            let earlier = try #require(try await client.chatwoot(.get, path + "/messages?before=\(oldest)").object["payload"] as? [[String: Any]])
            #expect(earlier.count == 10)
            #expect(earlier.first?["content"] as? String == "Welcome")
            let lastEarlier = try #require(earlier.last?["id"] as? Int)
            let afterList = try await client.chatwoot(.get, path + "/messages?after=\(lastEarlier)")
            let after = try #require(afterList.object["payload"] as? [[String: Any]])
            #expect(after.count == 20)

            let messageID = try #require(sent.object["id"] as? Int)
            let deleted = try await client.chatwoot(.delete, path + "/messages/\(messageID)")
            #expect(deleted.status == .ok)
            #expect(deleted.object["content"] as? String == "This message was deleted")
            #expect((deleted.object["content_attributes"] as? [String: Any])?["deleted"] as? Bool == true)
            #expect(try await client.chatwoot(.delete, path + "/messages/999999").status == .notFound)
            // Another account's conversation of the same number is not reachable from account 1.
            let other = try await client.chatwootAccount("Other")
            let admin = try await client.chatwootUser("Other Admin", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, path + "/messages", token: admin.token).status == .unauthorized)
            #expect(
                try await client.chatwoot(.get, "/api/v1/accounts/\(other)/conversations/\(id)/messages", token: admin.token).status == .notFound)
        }
    }

    @Test("A multipart message stores its files in the database; they download with their type and name, to those who may see them")
    func attachments() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let boundary = "XyZ123"
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x10]
            var body = ByteBuffer()
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nSee attached\r\n")
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"private\"\r\n\r\nfalse\r\n")
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"shot.png\"\r\nContent-Type: image/png\r\n\r\n")
            body.writeBytes(png)
            body.writeString("\r\n--\(boundary)--\r\n")
            let response = try await client.execute(
                uri: "/api/v1/accounts/1/conversations/\(id)/messages", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(response.status == .ok)
            let message = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(
                ChatwootSwagger.violations("POST", "/api/v1/accounts/1/conversations/\(id)/messages", status: 200, body: Data(buffer: response.body))
                    .isEmpty)
            let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["file_type"] as? String == "image")
            #expect(attachment["extension"] as? String == "png")
            // A signed link that opens without a token, as Chatwoot's ActiveStorage URLs; an image's thumbnail is the image.
            let url = try #require(attachment["data_url"] as? String)
            #expect(url.hasPrefix("/public/api/v1/attachments/\(try #require(attachment["id"] as? Int))?expires="))
            #expect(attachment["thumb_url"] as? String == url)
            let file = try await client.execute(uri: url, method: .get)
            #expect(file.status == .ok)
            #expect(Array(buffer: file.body) == png)
            #expect(file.headers[.contentType] == "image/png")
            #expect(file.headers[.contentDisposition]?.contains("shot.png") == true)
            // The token-checked route: an agent outside the inbox may not download it.
            let attachmentID = try #require(attachment["id"] as? Int)
            let dashboard = "/api/v1/accounts/1/attachments/\(attachmentID)"
            #expect(try await client.execute(uri: dashboard, method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey]).status == .ok)
            let agent = try await client.chatwootUser("Agent Smith")
            #expect(try await client.execute(uri: dashboard, method: .get, headers: [.apiAccessToken: agent.token]).status == .unauthorized)
            // A deleted message's files go.
            let messageID = try #require(message["id"] as? Int)
            try await client.chatwoot(.delete, "/api/v1/accounts/1/conversations/\(id)/messages/\(messageID)")
            #expect(try await client.execute(uri: url, method: .get).status == .notFound)
        }
    }

    @Test(
        "The contact downloads the agent's file through the public message list's data_url without a token; a tampered, moved or expired link is a 404"
    )
    func signedAttachmentLinks() async throws {
        let offset = Mutex<TimeInterval>(0)
        let clock = WallClock { Date().addingTimeInterval(offset.withLock { $0 }) }
        let app = try await buildApplication(reader: TestConfiguration.reader(), clock: clock)
        try await app.test(.router) { client in
            let made = try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Files", "channel": {"type": "api"}}"#)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let base = "/public/api/v1/inboxes/\(identifier)"
            let contact = try await client.execute(
                uri: base + "/contacts", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name": "Fay"}"#))
            let source = try #require((try JSONSerialization.jsonObject(with: Data(buffer: contact.body)) as? [String: Any])?["source_id"] as? String)
            let opened = try await client.execute(
                uri: base + "/contacts/\(source)/conversations", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            let conversation = try #require((try JSONSerialization.jsonObject(with: Data(buffer: opened.body)) as? [String: Any])?["id"] as? Int)
            let boundary = "FiLe42"
            var body = ByteBuffer()
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nYour invoice\r\n")
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"invoice.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            body.writeString("%PDF-1.4 invoice")
            body.writeString("\r\n--\(boundary)--\r\n")
            let sent = try await client.execute(
                uri: "/api/v1/accounts/1/conversations/\(conversation)/messages", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(sent.status == .ok)

            // The widget's message list (no token anywhere) carries the link; the link opens the file.
            let listPath = base + "/contacts/\(source)/conversations/\(conversation)/messages"
            let listed = try await client.execute(uri: listPath, method: .get)
            let messages = try #require(try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])
            @Sendable func files(_ list: [[String: Any]]) -> [[String: Any]] { list.flatMap { $0["attachments"] as? [[String: Any]] ?? [] } }
            let attachment = try #require(files(messages).first)
            let url = try #require(attachment["data_url"] as? String)
            #expect(attachment["thumb_url"] as? String == "")
            let file = try await client.execute(uri: url, method: .get)
            #expect(file.status == .ok)
            #expect(String(buffer: file.body) == "%PDF-1.4 invoice")
            #expect(file.headers[.contentType] == "application/pdf")

            // A changed signature, the signature moved to another file, or no signature: 404 in Chatwoot's shape.
            let signature = String(try #require(url.split(separator: "signature=").last))
            let flipped = String(signature.dropLast()) + (signature.hasSuffix("0") ? "1" : "0")
            let id = try #require(attachment["id"] as? Int)
            for bad in [
                url.replacingOccurrences(of: "signature=\(signature)", with: "signature=\(flipped)"),
                url.replacingOccurrences(of: "/attachments/\(id)?", with: "/attachments/\(id + 1)?"),
                "/public/api/v1/attachments/\(id)", url.replacingOccurrences(of: "expires=", with: "expires=1"),
            ] {
                let refused = try await client.execute(uri: bad, method: .get)
                #expect(refused.status == .notFound, "\(bad)")
                #expect(String(buffer: refused.body).contains("Resource could not be found"), "\(bad)")
            }
            // Two days on, the link has expired; a fresh list hands out a new one that opens.
            offset.withLock { $0 = 2 * 86_400 }
            #expect(try await client.execute(uri: url, method: .get).status == .notFound)
            let relisted = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: try await client.execute(uri: listPath, method: .get).body)) as? [[String: Any]])
            let fresh = try #require(files(relisted).first?["data_url"] as? String)
            #expect(fresh != url)
            #expect(try await client.execute(uri: fresh, method: .get).status == .ok)
        }
    }

    @Test("An agent bot connected to the inbox creates conversations and messages and toggles status; it may not list")
    func agentBot() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let bot = try await client.chatwoot(.post, "/platform/api/v1/agent_bots", json: #"{"name": "Helper", "account_id": 1}"#)
            let botID = try #require(bot.object["id"] as? Int)
            let token = try #require(bot.object["access_token"] as? String)
            // Not connected: a 401.
            #expect(
                try await client.chatwoot(
                    .post, "/api/v1/accounts/1/conversations", token: token, json: #"{"inbox_id": \#(inbox), "contact_id": \#(contact)}"#
                ).status == .unauthorized)
            try await seed.connect(bot: botID, inbox: inbox)
            let id = try await client.conversation(inbox: inbox, contact: contact, extra: #", "status": "pending""#, token: token)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            let reply = try await client.chatwoot(.post, path + "/messages", token: token, json: #"{"content": "I am a bot"}"#)
            #expect((reply.object["sender"] as? [String: Any])?["type"] as? String == "agent_bot")
            let handoff = try await client.chatwoot(.post, path + "/toggle_status", token: token, json: #"{"status": "open"}"#)
            #expect((handoff.object["payload"] as? [String: Any])?["current_status"] as? String == "open")
            #expect(try await client.chatwoot(.post, path + "/toggle_priority", token: token, json: #"{"priority": "low"}"#).status == .ok)
            #expect(try await client.chatwoot(.patch, path, token: token, json: #"{"priority": "high"}"#).status == .ok)
            // Bot changes write no activity messages.
            #expect(try await client.contents(id) == ["I am a bot"])
            #expect(try await client.chatwoot(.post, path + "/assignments", token: token, json: #"{"assignee_id": 1}"#).status == .ok)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations", token: token).status == .unauthorized)
            #expect(try await client.chatwoot(.get, path + "/messages", token: token).status == .unauthorized)
        }
    }
}
