import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Our stand-in for a mail server (decision 279): a real SMTP receiver (RFC 5321: EHLO/HELO, AUTH PLAIN and LOGIN,
/// MAIL FROM, RCPT TO, DATA with dot-stuffing undone, RSET, NOOP, QUIT) on its own port, keeping what it receives for
/// `GET /sandbox/mail`. A recipient whose local part is `reject` is refused with 550, so tests see a permanent failure;
/// `PUT /sandbox/mail/refusing` with `true` makes it answer 421 to every connection until `false`, a server down for now.
struct SMTPSandbox: Service {
    let host: String
    let port: Int
    let mailbox: Mailbox
    let logger: Logger
    /// When set, AUTH must give these; when nil, any credentials (or none) are accepted.
    let credentials: (username: String, password: String)?
    /// The port it listens on once bound (the configured one, or the one the system chose for 0).
    let listening = Listening()
    /// The largest message it takes (advertised as SIZE, RFC 1870); a larger one is refused with 552.
    let maxSize: Int

    /// The longest line it reads; a client sending more is cut off.
    static let maxLine = 1024 * 1024

    /// Where the receiver listens, once it does.
    final class Listening: Sendable {
        let bound = Mutex<Int?>(nil)

        /// The bound port; waits (up to 5 s) for the receiver to bind.
        func port() async throws -> Int {
            for _ in 0..<500 {
                if let port = self.bound.withLock({ $0 }) { return port }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw SandboxConfigurationError(message: "the SMTP receiver did not start")
        }
    }

    init(
        host: String, port: Int, mailbox: Mailbox, logger: Logger, credentials: (username: String, password: String)? = nil,
        maxSize: Int = 26_214_400
    ) {
        (self.host, self.port, self.mailbox, self.logger, self.credentials) = (host, port, mailbox, logger, credentials)
        self.maxSize = maxSize
    }

    /// One message as received.
    struct Mail: Codable, Sendable {
        var id: String
        var from: String
        var to: [String]
        /// The authenticated user, if the client logged in.
        var username: String?
        var receivedAt: Date
        /// The headers' lines unfolded, by name as written.
        var headers: [String: String]
        var subject: String
        /// The message as it arrived after DATA, dot-stuffing undone.
        var raw: String
    }

    /// What the receiver keeps (oldest go first past `keep`).
    final class Mailbox: Sendable {
        let mails = Mutex<[Mail]>([])
        let keep: Int
        /// While true the receiver greets with 421 (service not available) and hangs up: a server that is down for now.
        let refusing = Mutex(false)

        init(keep: Int) { self.keep = keep }

        func add(_ mail: Mail) {
            self.mails.withLock { mails in
                mails.append(mail)
                if mails.count > self.keep { mails.removeFirst(mails.count - self.keep) }
            }
        }

        /// Oldest first; `to` filters by a recipient.
        func list(to: String?) -> [Mail] {
            self.mails.withLock { mails in mails.filter { to == nil || $0.to.contains(to!) } }
        }

        func clear() { self.mails.withLock { $0.removeAll() } }

        func setRefusing(_ refusing: Bool) { self.refusing.withLock { $0 = refusing } }
    }

    func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let port = server.channel.localAddress?.port ?? self.port
        self.listening.bound.withLock { $0 = port }
        self.logger.info("SMTP receiver listening", metadata: ["port": "\(port)"])
        let channel = server.channel
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await self.accept(server)
            } onCancel: {
                channel.close(promise: nil)
            }
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    /// Serves each connection until the listening channel closes.
    func accept(_ server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) async throws {
        try await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask {
                        do {
                            try await self.serve(connection)
                        } catch {
                            self.logger.debug("SMTP connection ended", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }

    /// One client's session.
    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var lines = LineReader(iterator: inbound.makeAsyncIterator())
            func say(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            guard !self.mailbox.refusing.withLock({ $0 }) else {
                try await say("421 4.3.2 sandbox.localhost not accepting mail now")
                return
            }
            try await say("220 sandbox.localhost ESMTP Switchboard Sandbox")
            var from: String?
            var recipients: [String] = []
            var username: String?
            var greeted = false
            while let line = try await lines.next() {
                let upper = line.uppercased()
                if upper.hasPrefix("EHLO ") || upper == "EHLO" {
                    (greeted, from, recipients) = (true, nil, [])
                    try await say("250-sandbox.localhost greets you")
                    try await say("250-8BITMIME")
                    try await say("250-AUTH PLAIN LOGIN")
                    try await say("250 SIZE \(self.maxSize)")
                } else if upper.hasPrefix("HELO ") {
                    (greeted, from, recipients) = (true, nil, [])
                    try await say("250 sandbox.localhost")
                } else if upper.hasPrefix("AUTH PLAIN") {
                    var token = String(line.dropFirst("AUTH PLAIN".count)).trimmingCharacters(in: .whitespaces)
                    if token.isEmpty {
                        try await say("334 ")
                        token = try await lines.next() ?? ""
                    }
                    let parts =
                        Data(base64Encoded: token).map {
                            String(decoding: $0, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
                        } ?? []
                    guard parts.count == 3, self.accepts(String(parts[1]), String(parts[2])) else {
                        try await say("535 5.7.8 Authentication credentials invalid")
                        continue
                    }
                    username = String(parts[1])
                    try await say("235 2.7.0 Authentication successful")
                } else if upper.hasPrefix("AUTH LOGIN") {
                    try await say("334 VXNlcm5hbWU6")
                    let user = Data(base64Encoded: try await lines.next() ?? "").map { String(decoding: $0, as: UTF8.self) } ?? ""
                    try await say("334 UGFzc3dvcmQ6")
                    let password = Data(base64Encoded: try await lines.next() ?? "").map { String(decoding: $0, as: UTF8.self) } ?? ""
                    guard self.accepts(user, password) else {
                        try await say("535 5.7.8 Authentication credentials invalid")
                        continue
                    }
                    username = user
                    try await say("235 2.7.0 Authentication successful")
                } else if upper.hasPrefix("MAIL FROM:") {
                    guard greeted else {
                        try await say("503 5.5.1 EHLO first")
                        continue
                    }
                    if self.credentials != nil, username == nil {
                        try await say("530 5.7.0 Authentication required")
                        continue
                    }
                    if let declared = Self.declaredSize(line), declared > self.maxSize {
                        try await say("552 5.3.4 Message size exceeds fixed maximum message size")
                        continue
                    }
                    (from, recipients) = (Self.address(line), [])
                    try await say("250 2.1.0 OK")
                } else if upper.hasPrefix("RCPT TO:") {
                    guard from != nil else {
                        try await say("503 5.5.1 MAIL first")
                        continue
                    }
                    let address = Self.address(line)
                    guard !address.lowercased().hasPrefix("reject@") else {
                        try await say("550 5.1.1 <\(address)>: no such mailbox")
                        continue
                    }
                    recipients.append(address)
                    try await say("250 2.1.5 OK")
                } else if upper == "DATA" {
                    guard let sender = from, !recipients.isEmpty else {
                        try await say("503 5.5.1 RCPT first")
                        continue
                    }
                    try await say("354 End data with <CR><LF>.<CR><LF>")
                    var body: [String] = []
                    var size = 0
                    while let data = try await lines.next(), data != "." {
                        // Past SIZE nothing more is kept; the rest is read to its end and the message refused.
                        size += data.utf8.count + 2
                        if size <= self.maxSize { body.append(data.hasPrefix(".") ? String(data.dropFirst()) : data) }
                    }
                    guard size <= self.maxSize else {
                        (from, recipients) = (nil, [])
                        try await say("552 5.3.4 Message size exceeds fixed maximum message size")
                        continue
                    }
                    let raw = body.joined(separator: "\r\n") + "\r\n"
                    let headers = Self.headers(raw)
                    let id = UUID().uuidString.lowercased()
                    self.mailbox.add(
                        Mail(
                            id: id, from: sender, to: recipients, username: username, receivedAt: Date(), headers: headers,
                            subject: headers["Subject"] ?? "", raw: raw))
                    (from, recipients) = (nil, [])
                    try await say("250 2.0.0 OK queued as \(id)")
                } else if upper == "RSET" {
                    (from, recipients) = (nil, [])
                    try await say("250 2.0.0 OK")
                } else if upper == "NOOP" {
                    try await say("250 2.0.0 OK")
                } else if upper == "QUIT" {
                    try await say("221 2.0.0 Bye")
                    return
                } else {
                    try await say("502 5.5.2 Command not recognized")
                }
            }
        }
    }

    func accepts(_ username: String, _ password: String) -> Bool {
        guard let credentials else { return true }
        return credentials.username == username && credentials.password == password
    }

    /// The address of `MAIL FROM:<a@b> SIZE=…` or `RCPT TO:<a@b>`.
    static func address(_ line: String) -> String {
        guard let start = line.firstIndex(of: "<"), let end = line[start...].firstIndex(of: ">") else {
            return String(line.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces)
        }
        return String(line[line.index(after: start)..<end])
    }

    /// The `SIZE=` a `MAIL FROM` declares (RFC 1870), if any.
    static func declaredSize(_ line: String) -> Int? {
        line.split(separator: " ").first { $0.uppercased().hasPrefix("SIZE=") }.flatMap { Int($0.dropFirst("SIZE=".count)) }
    }

    /// The header section's fields, continuation lines unfolded (the line break removed, the space kept).
    static func headers(_ raw: String) -> [String: String] {
        var fields: [String: String] = [:]
        var last: String?
        for line in raw.components(separatedBy: "\r\n") {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", let name = last {
                fields[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            fields[name] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            last = name
        }
        return fields
    }

    /// Lines of the client's stream, without their CRLF: read off one buffer by its reader index (what is read is
    /// dropped when more arrives), a line longer than ``SMTPSandbox/maxLine`` ends the session.
    struct LineReader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var pending = ByteBuffer()

        mutating func next() async throws -> String? {
            while true {
                let view = self.pending.readableBytesView
                if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
                    let length = newline - view.startIndex
                    let cut = length > 0 && view[newline - 1] == UInt8(ascii: "\r") ? 1 : 0
                    let line = self.pending.readString(length: length - cut) ?? ""
                    self.pending.moveReaderIndex(forwardBy: cut + 1)
                    return line
                }
                guard self.pending.readableBytes <= SMTPSandbox.maxLine else { throw SandboxConfigurationError(message: "line too long") }
                guard var buffer = try await self.iterator.next() else { return nil }
                self.pending.discardReadBytes()
                self.pending.writeBuffer(&buffer)
            }
        }
    }
}

extension SMTPSandbox {
    /// Runs a receiver on a free port of 127.0.0.1 for the length of `body` (tests, and anything else in process), with
    /// its port and mailbox.
    static func running<T: Sendable>(
        credentials: (username: String, password: String)? = nil, maxSize: Int = 26_214_400, _ body: @Sendable (Int, Mailbox) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "sandbox.smtp")
        logger.logLevel = .warning
        let receiver = SMTPSandbox(
            host: "127.0.0.1", port: 0, mailbox: Mailbox(keep: 1000), logger: logger, credentials: credentials, maxSize: maxSize)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await receiver.run()
                return nil
            }
            let port = try await receiver.listening.port()
            defer { group.cancelAll() }
            return try await body(port, receiver.mailbox)
        }
    }
}
