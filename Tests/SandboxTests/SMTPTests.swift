import Foundation
import ServiceKit
import Testing

@testable import Sandbox

/// ServiceKit's SMTP client against the Sandbox's SMTP receiver, both speaking real SMTP over TCP (decisions 278–279).
@Suite("SMTP client and receiver")
struct SMTPTests {
    static func message(to: [String], subject: String = "Hello", plain: String = "Hi", html: String = "") -> MailMessage {
        MailMessage(
            from: "desk@example.com", to: to, subject: subject, plainText: plain, htmlText: html, messageID: "m1@switchboard",
            date: Date(timeIntervalSince1970: 1_800_000_000), headers: [("X-Switchboard-Conversation", "7")])
    }

    @Test("A message arrives with its envelope, RFC 5322 headers, an encoded-word subject and both bodies; dots survive stuffing")
    func delivers() async throws {
        try await SMTPSandbox.running { port, mailbox in
            let client = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com"))
            let plain = "Line one\n.starts with a dot\n.\nend"
            let answer = try await client.send(
                Self.message(to: ["ann@example.com", "bob@example.com"], subject: "Commande reçue ✓", plain: plain, html: "<p>Reçu</p>"))
            #expect(answer.contains("queued"))
            let mail = try #require(mailbox.list(to: "bob@example.com").first)
            #expect(mail.from == "desk@example.com" && mail.to == ["ann@example.com", "bob@example.com"] && mail.username == nil)
            #expect(mail.headers["From"] == "desk@example.com" && mail.headers["To"] == "ann@example.com, bob@example.com")
            #expect(mail.headers["Message-ID"] == "<m1@switchboard>" && mail.headers["MIME-Version"] == "1.0")
            #expect(mail.headers["Date"] == "Fri, 15 Jan 2027 08:00:00 +0000" && mail.headers["X-Switchboard-Conversation"] == "7")
            #expect(mail.subject.hasPrefix("=?UTF-8?B?"))
            let decoded = mail.subject.split(separator: "=?UTF-8?B?").map { word in
                String(decoding: Data(base64Encoded: String(word.prefix { $0 != "?" })) ?? Data(), as: UTF8.self)
            }.joined()
            #expect(decoded == "Commande reçue ✓")
            #expect(mail.headers["Content-Type"]?.hasPrefix("multipart/alternative; boundary=") == true)
            // The parts, base64 in lines of 76.
            let parts = mail.raw.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").dropFirst().map {
                String(
                    decoding: Data(base64Encoded: $0.components(separatedBy: "\r\n--").first!.replacingOccurrences(of: "\r\n", with: "")) ?? Data(),
                    as: UTF8.self)
            }
            #expect(parts == ["Line one\n.starts with a dot\n.\nend", "<p>Reçu</p>"])
            #expect(mail.raw.contains("text/plain; charset=utf-8") && mail.raw.contains("text/html; charset=utf-8"))
        }
    }

    @Test("Dot-stuffing doubles a leading dot and ends every line with CRLF")
    func dotStuffing() {
        #expect(SMTPClient.dotStuffed("a\n.b\r\n..c\rd") == "a\r\n..b\r\n...c\r\nd\r\n")
    }

    @Test("AUTH PLAIN with the receiver's credentials; wrong ones and a refused recipient are permanent failures; a closed port is not")
    func authAndFailures() async throws {
        try await SMTPSandbox.running(credentials: (username: "desk", password: "s3cret")) { port, mailbox in
            let good = SMTPClient(
                settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com", username: "desk", password: "s3cret"))
            try await good.send(Self.message(to: ["ann@example.com"]))
            #expect(mailbox.list(to: nil).map(\.username) == ["desk"])
            let wrong = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com", username: "desk", password: "no"))
            await #expect {
                try await wrong.send(Self.message(to: ["ann@example.com"]))
            } throws: { error in
                (error as? SMTPError).map { $0.code == 535 && $0.isPermanent } ?? false
            }
            let anonymous = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com"))
            await #expect(throws: SMTPError.self) { try await anonymous.send(Self.message(to: ["ann@example.com"])) }
            await #expect {
                try await good.send(Self.message(to: ["reject@example.com"]))
            } throws: { error in
                (error as? SMTPError).map { $0.code == 550 && $0.isPermanent } ?? false
            }
            #expect(mailbox.list(to: nil).count == 1)
        }
        let down = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: 1, from: "desk@example.com", timeout: .seconds(5)))
        await #expect {
            try await down.send(Self.message(to: ["ann@example.com"]))
        } throws: { error in
            (error as? SMTPError).map { $0.step == "connect" && !$0.isPermanent } ?? false
        }
    }

    @Test("Long headers are folded: no line passes 78 characters, and unfolded they read as written")
    func foldedHeaders() throws {
        let words = (1...200).map { "word\($0)" }.joined(separator: " ")
        let recipients = (1...40).map { "person\($0)@example.com" }
        let raw = Self.message(to: recipients, subject: words).rendered()
        let head = try #require(raw.components(separatedBy: "\r\n\r\n").first)
        #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 }, "\(head.components(separatedBy: "\r\n").map(\.count).max() ?? 0)")
        // Unfolding (RFC 5322 §2.2.3: a CRLF followed by white space) gives the header as written.
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        #expect(unfolded.contains("Subject: \(words)") && unfolded.contains("To: \(recipients.joined(separator: ", "))"))
        // One word too long to fold goes as encoded words, in lines of 78 at most.
        let long = String(repeating: "x", count: 1000)
        let folded = MailMessage.headerLine("Subject", MailMessage.encodedWord(long))
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 } && folded.hasPrefix("Subject: =?UTF-8?B?"))
    }

    @Test("The receiver enforces the SIZE it advertises: a larger message is refused with 552 and not kept; the next one goes through")
    func sizeLimit() async throws {
        try await SMTPSandbox.running(maxSize: 4096) { port, mailbox in
            let client = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com"))
            await #expect {
                try await client.send(Self.message(to: ["ann@example.com"], plain: String(repeating: "a", count: 10_000)))
            } throws: { error in
                (error as? SMTPError).map { $0.code == 552 && $0.isPermanent } ?? false
            }
            #expect(mailbox.list(to: nil).isEmpty)
            try await client.send(Self.message(to: ["ann@example.com"]))
            #expect(mailbox.list(to: nil).count == 1)
        }
        #expect(SMTPSandbox.declaredSize("MAIL FROM:<a@b.c> SIZE=5000") == 5000 && SMTPSandbox.declaredSize("MAIL FROM:<a@b.c>") == nil)
    }

    @Test("A file goes as an attachment in multipart/mixed beside the alternative bodies")
    func mimeWithAttachment() async throws {
        try await SMTPSandbox.running { port, mailbox in
            var message = Self.message(to: ["ann@example.com"], html: "<b>x</b>")
            message.attachments = [MailMessage.Attachment(fileName: "notes.txt", contentType: "text/plain", data: Data("file body".utf8))]
            try await SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port, from: "desk@example.com")).send(message)
            let mail = try #require(mailbox.list(to: nil).first)
            #expect(mail.headers["Content-Type"]?.hasPrefix("multipart/mixed; boundary=") == true)
            #expect(mail.raw.contains("Content-Disposition: attachment; filename=\"notes.txt\""))
            #expect(mail.raw.contains(Data("file body".utf8).base64EncodedString()))
        }
    }
}
