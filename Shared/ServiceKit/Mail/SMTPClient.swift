import Configuration
import Foundation
import NIOCore
import NIOPosix

/// Where email leaves for (decision 278): an SMTP server, or none, in which case mail is recorded as skipped.
public struct SMTPSettings: Sendable {
    public var host: String?
    public var port: Int
    /// The envelope and `From:` address.
    public var from: String
    public var username: String?
    public var password: String?
    /// The name this client gives in EHLO/HELO.
    public var heloName: String
    /// For the whole conversation with the server.
    public var timeout: Duration

    public var isConfigured: Bool { self.host != nil }

    /// Reads `smtp.host` (string, optional: without it no mail is sent), `smtp.port` (int, default 25), `smtp.from`
    /// (string, default `switchboard@localhost`), `smtp.username` (string, optional), `smtp.password` (string, secret,
    /// optional; with `smtp.username`, AUTH PLAIN or LOGIN as the server offers), `smtp.heloName` (string, default
    /// `switchboard.localhost`), `smtp.timeout` (double, seconds, default 30).
    public init(reader: ConfigReader) {
        self.host = reader.string(forKey: "smtp.host").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        self.port = reader.int(forKey: "smtp.port", default: 25)
        self.from = reader.string(forKey: "smtp.from", default: "switchboard@localhost")
        self.username = reader.string(forKey: "smtp.username").flatMap { $0.isEmpty ? nil : $0 }
        self.password = reader.string(forKey: "smtp.password", isSecret: true)
        self.heloName = reader.string(forKey: "smtp.heloName", default: "switchboard.localhost")
        self.timeout = .seconds(max(0.1, reader.double(forKey: "smtp.timeout", default: 30)))
    }

    public init(
        host: String?, port: Int, from: String, username: String? = nil, password: String? = nil, heloName: String = "switchboard.localhost",
        timeout: Duration = .seconds(30)
    ) {
        (self.host, self.port, self.from, self.username, self.password) = (host, port, from, username, password)
        (self.heloName, self.timeout) = (heloName, timeout)
    }
}

/// What went wrong talking to the server: the step, and the server's reply or the connection's error.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public var step: String
    public var code: Int?
    public var message: String
    /// A 5xx reply: sending again will not help.
    public var isPermanent: Bool { (500..<600).contains(self.code ?? 0) }

    public var description: String { "SMTP \(self.step): \(self.code.map { "\($0) " } ?? "")\(self.message)" }
}

/// A small SMTP client (RFC 5321) over SwiftNIO: EHLO (HELO when refused), AUTH PLAIN or LOGIN when credentials are
/// set, MAIL FROM, RCPT TO for each recipient, DATA with dot-stuffing, QUIT. No TLS: it talks to a relay on a trusted
/// network (decision 278).
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    /// Sends `message` to its `to` addresses; returns the server's answer to DATA.
    @discardableResult
    public func send(_ message: MailMessage) async throws -> String {
        guard let host = self.settings.host else { throw SMTPError(step: "connect", message: "no SMTP server is configured") }
        let settings = self.settings
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { try await Self.converse(host: host, settings: settings, message: message) }
            group.addTask {
                try await Task.sleep(for: settings.timeout)
                throw SMTPError(step: "timeout", message: "no answer within \(settings.timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    static func converse(host: String, settings: SMTPSettings, message: MailMessage) async throws -> String {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw SMTPError(step: "connect", message: "\(host):\(settings.port): \(error)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220, step: "greeting")
            var (code, lines) = try await session.command("EHLO \(settings.heloName)", step: "EHLO")
            var extensions: [String] = []
            if code == 250 {
                extensions = lines.dropFirst().map { $0.uppercased() }
            } else {
                (code, lines) = try await session.command("HELO \(settings.heloName)", step: "HELO")
                guard code == 250 else { throw SMTPError(step: "HELO", code: code, message: lines.joined(separator: " ")) }
            }
            if let username = settings.username {
                let password = settings.password ?? ""
                let mechanisms = extensions.first { $0.hasPrefix("AUTH") }.map { $0.split(separator: " ").dropFirst().map(String.init) } ?? []
                if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
                    let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                    try await session.require(235, "AUTH PLAIN \(token)", step: "AUTH PLAIN", shown: "AUTH PLAIN ***")
                } else {
                    try await session.require(334, "AUTH LOGIN", step: "AUTH LOGIN")
                    try await session.require(334, Data(username.utf8).base64EncodedString(), step: "AUTH LOGIN", shown: "***")
                    try await session.require(235, Data(password.utf8).base64EncodedString(), step: "AUTH LOGIN", shown: "***")
                }
            }
            try await session.require(250, "MAIL FROM:<\(settings.from)>", step: "MAIL FROM")
            for recipient in message.to {
                let (code, lines) = try await session.command("RCPT TO:<\(recipient)>", step: "RCPT TO")
                guard code == 250 || code == 251 else {
                    throw SMTPError(step: "RCPT TO <\(recipient)>", code: code, message: lines.joined(separator: " "))
                }
            }
            try await session.require(354, "DATA", step: "DATA")
            try await session.write(Self.dotStuffed(message.rendered()) + ".\r\n")
            let (dataCode, dataLines) = try await session.reply(step: "DATA")
            guard dataCode == 250 else { throw SMTPError(step: "DATA", code: dataCode, message: dataLines.joined(separator: " ")) }
            // The message is accepted; how QUIT goes does not change that.
            _ = try? await session.command("QUIT", step: "QUIT")
            return dataLines.joined(separator: " ")
        }
    }

    /// The text with CRLF line ends, every line that starts with "." given another (RFC 5321 §4.5.2), ending with CRLF.
    public static func dotStuffed(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.map { $0 + "\r\n" }.joined()
    }

    /// One conversation's reading and writing.
    struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending = ""

        mutating func write(_ text: String) async throws {
            try await self.outbound.write(ByteBuffer(string: text))
        }

        /// One line, without its CRLF.
        mutating func line(step: String) async throws -> String {
            while true {
                if let end = self.pending.range(of: "\r\n") ?? self.pending.range(of: "\n") {
                    let line = String(self.pending[..<end.lowerBound])
                    self.pending = String(self.pending[end.upperBound...])
                    return line
                }
                guard let buffer = try await self.inbound.next() else {
                    throw SMTPError(step: step, message: "the server closed the connection")
                }
                self.pending += String(buffer: buffer)
                guard self.pending.utf8.count < 64 * 1024 else { throw SMTPError(step: step, message: "the server's reply is too long") }
            }
        }

        /// A reply: its code and its lines' text (a multi-line reply continues while the fourth character is "-").
        mutating func reply(step: String) async throws -> (Int, [String]) {
            var lines: [String] = []
            while true {
                let line = try await self.line(step: step)
                guard line.count >= 3, let code = Int(line.prefix(3)) else {
                    throw SMTPError(step: step, message: "not an SMTP reply: \(line.prefix(80))")
                }
                lines.append(String(line.dropFirst(4)))
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return (code, lines) }
            }
        }

        mutating func expect(_ code: Int, step: String) async throws {
            let (got, lines) = try await self.reply(step: step)
            guard got == code else { throw SMTPError(step: step, code: got, message: lines.joined(separator: " ")) }
        }

        mutating func command(_ text: String, step: String) async throws -> (Int, [String]) {
            try await self.write(text + "\r\n")
            return try await self.reply(step: step)
        }

        mutating func require(_ code: Int, _ text: String, step: String, shown: String? = nil) async throws {
            let (got, lines) = try await self.command(text, step: step)
            guard got == code else { throw SMTPError(step: step, code: got, message: lines.joined(separator: " ")) }
        }
    }
}
