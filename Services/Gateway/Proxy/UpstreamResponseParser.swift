import NIOCore
import NIOHTTP1

/// Reads a response off an upstream connection as bytes, parsing no more than the proxy needs: the status, whether
/// the connection stays open, and where the body ends (Content-Length, chunked, or the connection's close). The head
/// is re-written for the client from its own bytes (``UpstreamResponseHead/write(to:version:extraHeaders:)``) and the
/// body passes through as it came, so a proxied response is never decoded into header strings and encoded again.
///
/// Informational responses (1xx but 101) are skipped, as NIO's client decoder drops them; a 101 ends the parsing when
/// the request asked for a websocket upgrade (what follows is the new protocol's) and is refused otherwise. Framing
/// follows RFC 9112 §6.3: any Transfer-Encoding overrides a Content-Length.
struct UpstreamResponseParser {
    enum Event {
        /// `endsAtClose`: the head frames no body, which then runs until the upstream closes the connection.
        case head(UpstreamResponseHead, endsAtClose: Bool)
        case body(ByteBuffer)
        case end
        /// 101 to a websocket upgrade: the bytes left in the buffer, and all after, are the websocket's.
        case switched(UpstreamResponseHead)
    }

    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String {
            switch self {
            case .malformed(let what): "the upstream sent a response that is not HTTP/1.1: \(what)"
            }
        }
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        /// Chunked: the body's own framing, followed to find its end.
        case chunked(ChunkedFraming)
        case untilClose
        case done
    }

    private var state = State.head
    /// Bytes of a head that arrived in pieces, and how far they were searched for its end.
    private var partialHead: ByteBuffer?
    private var searchedHead = 0
    /// Largest head accepted from an upstream, as NIO's decoder's default.
    static let maxHeadSize = 80 * 1024

    /// The next event in `buffer`, consuming what it used; nil when more bytes are needed.
    /// `headRequest`: the request was HEAD, so the response has no body whatever its headers say. `upgrade`: the request
    /// asked for a websocket, so a 101 is its answer.
    mutating func next(_ buffer: inout ByteBuffer, headRequest: Bool, upgrade: Bool = false) throws(Failure) -> Event? {
        switch self.state {
        case .head:
            return try self.parseHead(&buffer, headRequest: headRequest, upgrade: upgrade)
        case .fixed(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let take = min(remaining, buffer.readableBytes)
            let slice = buffer.readSlice(length: take)!
            self.state = take == remaining ? .done : .fixed(remaining: remaining - take)
            return .body(slice)
        case .chunked(var framing):
            guard buffer.readableBytes > 0 else { return nil }
            let length = try framing.scan(buffer.readableBytesView)
            self.state = framing.isFinished ? .done : .chunked(framing)
            return .body(buffer.readSlice(length: length)!)
        case .untilClose:
            guard buffer.readableBytes > 0 else { return nil }
            return .body(buffer.readSlice(length: buffer.readableBytes)!)
        case .done:
            self.state = .head
            return .end
        }
    }

    /// The connection closed: the end of a close-delimited body.
    mutating func closed() -> Event? {
        guard case .untilClose = self.state else { return nil }
        self.state = .done
        return .end
    }

    private mutating func parseHead(_ buffer: inout ByteBuffer, headRequest: Bool, upgrade: Bool) throws(Failure) -> Event? {
        while true {
            var bytes: ByteBuffer
            if var partial = self.partialHead {
                self.partialHead = nil  // uniquely referenced again: the append below does not copy it
                partial.writeBuffer(&buffer)
                bytes = partial
            } else {
                bytes = buffer
            }
            let searchFrom = self.searchedHead
            guard let headLength = bytes.withUnsafeReadableBytes({ Self.headLength($0, from: searchFrom) }) else {
                guard bytes.readableBytes <= Self.maxHeadSize else { throw .malformed("a head over \(Self.maxHeadSize) bytes") }
                self.searchedHead = max(0, bytes.readableBytes - 3)
                self.partialHead = bytes
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                return nil
            }
            self.searchedHead = 0
            let head = try UpstreamResponseHead(bytes.getSlice(at: bytes.readerIndex, length: headLength - 4)!)
            bytes.moveReaderIndex(forwardBy: headLength)
            // What follows the head stays in `buffer` for the body (or the next head).
            buffer = bytes
            if head.status == 101 {
                guard upgrade else { throw .malformed("101 Switching Protocols to a request that asked for no upgrade") }
                self.state = .done
                return .switched(head)
            }
            if head.status < 200 { continue }
            if headRequest || head.status == 204 || head.status == 304 {
                self.state = .done
            } else if head.chunked {
                self.state = .chunked(ChunkedFraming())
            } else if let length = head.contentLength {
                self.state = length == 0 ? .done : .fixed(remaining: length)
            } else {
                self.state = .untilClose
            }
            if case .untilClose = self.state { return .head(head, endsAtClose: true) }
            return .head(head, endsAtClose: false)
        }
    }

    /// The length of the head at the start of `bytes`, with its final empty line; nil if it has not all arrived.
    private static func headLength(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = max(3, start)
        while index < bytes.count {
            if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { return index + 1 }
            index += 1
        }
        return nil
    }
}

/// A response head as the upstream sent it, with what the proxy reads from it.
struct UpstreamResponseHead {
    let status: Int
    /// Whether the upstream keeps the connection open after this response.
    let keepAlive: Bool
    let chunked: Bool
    /// Whether the head has a Transfer-Encoding (then its Content-Length, if any, is not passed on).
    let transferEncoding: Bool
    let contentLength: Int?
    /// The head's bytes without the final empty line: status line, then header lines.
    private let bytes: ByteBuffer

    init(_ bytes: ByteBuffer) throws(UpstreamResponseParser.Failure) {
        self.bytes = bytes
        var status = 0
        var keepAlive = false
        var chunked = false
        var contentLength: Int?
        var transferEncoding = false
        var close = false
        try bytes.withUnsafeReadableBytes { (head: UnsafeRawBufferPointer) throws(UpstreamResponseParser.Failure) in
            // "HTTP/1.x NNN reason"
            let lineEnd = HeadLines.lineEnd(head, from: 0)
            guard lineEnd >= 12, HeadLines.equal(head, 0..<5, "http/"), head[6] == UInt8(ascii: "."), head[8] == UInt8(ascii: " ") else {
                throw .malformed("no status line")
            }
            for index in 9..<12 {
                let digit = head[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw .malformed("a status code that is not three digits") }
                status = status * 10 + Int(digit)
            }
            keepAlive = head[5] == UInt8(ascii: "1") && head[7] >= UInt8(ascii: "1")
            var lineStart = lineEnd + 2
            while lineStart < head.count {
                let end = HeadLines.lineEnd(head, from: lineStart)
                guard let colon = HeadLines.colon(head, lineStart..<end) else { throw .malformed("a header line without a colon") }
                let value = HeadLines.trimmed(head, (colon + 1)..<end)
                switch ResponseFramingHeader(head, lineStart..<colon) {
                case .contentLength:
                    guard let length = HeadLines.decimal(head, value), contentLength == nil || contentLength == length else {
                        throw .malformed("an invalid Content-Length")
                    }
                    contentLength = length
                case .transferEncoding:
                    // The last coding decides: chunked framing, or none (the body then runs to the close). Either way a
                    // Content-Length says nothing (RFC 9112 §6.3).
                    let last = HeadLines.trimmed(head, (HeadLines.lastComma(head, value).map { $0 + 1 } ?? value.lowerBound)..<value.upperBound)
                    chunked = HeadLines.equal(head, last, "chunked")
                    transferEncoding = true
                case .connection:
                    var tokenStart = value.lowerBound
                    while tokenStart <= value.upperBound {
                        let tokenEnd = HeadLines.comma(head, tokenStart..<value.upperBound) ?? value.upperBound
                        let token = HeadLines.trimmed(head, tokenStart..<tokenEnd)
                        if HeadLines.equal(head, token, "close") { close = true }
                        if HeadLines.equal(head, token, "keep-alive") { keepAlive = true }
                        tokenStart = tokenEnd + 1
                    }
                case .other:
                    break
                }
                lineStart = end + 2
            }
        }
        if transferEncoding { contentLength = nil }
        if close { keepAlive = false }  // "close" wins, wherever it stands among the tokens
        self.status = status
        self.transferEncoding = transferEncoding
        self.chunked = chunked
        self.contentLength = contentLength
        // Without framing the body ends at the close, so the connection cannot carry another response.
        self.keepAlive = keepAlive && (chunked || contentLength != nil || status == 204 || status == 304 || status < 200)
    }

    /// Writes the head for the client: its HTTP version, the upstream's status and reason, the upstream's headers but
    /// the hop-by-hop ones and `X-Request-ID`, then `extraHeaders`.
    func write(to out: inout ByteBuffer, version: HTTPVersion, extraHeaders: [(String, String)]) {
        out.writeStaticString(version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        self.bytes.withUnsafeReadableBytes { head in
            let lineEnd = HeadLines.lineEnd(head, from: 0)
            out.writeBytes(UnsafeRawBufferPointer(rebasing: head[9..<lineEnd]))
            out.writeStaticString("\r\n")
            var lineStart = lineEnd + 2
            while lineStart < head.count {
                let end = HeadLines.lineEnd(head, from: lineStart)
                let colon = HeadLines.colon(head, lineStart..<end) ?? end
                let name = UnsafeRawBufferPointer(rebasing: head[lineStart..<colon])
                switch ProxiedHeader(name) {
                case .hopByHop, .requestID: break
                case .other where self.transferEncoding && ASCII.equal(name, lowered: "content-length"): break
                default:
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: head[lineStart..<end]))
                    out.writeStaticString("\r\n")
                }
                lineStart = end + 2
            }
        }
        for (name, value) in extraHeaders {
            out.writeString(name)
            out.writeStaticString(": ")
            out.writeString(value)
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("\r\n")
    }
}

/// Offsets into a response head's bytes.
enum HeadLines {
    /// Where the line starting at `start` ends: its CR, or the end of the head.
    static func lineEnd(_ head: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < head.count {
            if head[index] == 13, index + 1 < head.count, head[index + 1] == 10 { return index }
            index += 1
        }
        return head.count
    }

    static func colon(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        range.first { head[$0] == UInt8(ascii: ":") }
    }

    static func comma(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        range.first { head[$0] == UInt8(ascii: ",") }
    }

    static func lastComma(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        range.last { head[$0] == UInt8(ascii: ",") }
    }

    static func trimmed(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, head[lower] == 32 || head[lower] == 9 { lower += 1 }
        while upper > lower, head[upper - 1] == 32 || head[upper - 1] == 9 { upper -= 1 }
        return lower..<upper
    }

    static func decimal(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = head[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether the bytes in `range` are `lowered` in any ASCII case.
    static func equal(_ head: UnsafeRawBufferPointer, _ range: Range<Int>, _ lowered: StaticString) -> Bool {
        ASCII.equal(UnsafeRawBufferPointer(rebasing: head[range]), lowered: lowered)
    }
}

/// The response headers that decide framing.
private enum ResponseFramingHeader {
    case contentLength, transferEncoding, connection, other

    init(_ head: UnsafeRawBufferPointer, _ name: Range<Int>) {
        if HeadLines.equal(head, name, "content-length") {
            self = .contentLength
        } else if HeadLines.equal(head, name, "transfer-encoding") {
            self = .transferEncoding
        } else if HeadLines.equal(head, name, "connection") {
            self = .connection
        } else {
            self = .other
        }
    }
}

/// Follows a chunked body's framing (RFC 9112 §7.1) byte by byte, so the proxy knows where it ends; the bytes
/// themselves pass through unchanged.
struct ChunkedFraming {
    private enum Step {
        case size(value: Int, digits: Int)
        /// Whitespace after the size: only more of it, `;` or the line's end may follow.
        case sizeSpace(value: Int)
        /// A chunk extension (`;name=value`), passed on unread; `length` bounds it.
        case chunkExtension(value: Int, length: Int)
        case sizeLF(value: Int)
        case data(remaining: Int)
        case dataCR, dataLF
        /// After the last chunk: trailer lines, then the empty line. `lineLength` counts the current line's bytes.
        case trailer(lineLength: Int)
        case trailerLF(lineLength: Int)
        case finished
    }

    private var step = Step.size(value: 0, digits: 0)

    var isFinished: Bool {
        if case .finished = self.step { return true }
        return false
    }

    /// How many bytes of `bytes` belong to the body (all of them, or up to its end).
    mutating func scan(_ bytes: ByteBufferView) throws(UpstreamResponseParser.Failure) -> Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch self.step {
            case .data(let remaining):
                let take = min(remaining, bytes.endIndex - index)
                index += take
                self.step = take == remaining ? .dataCR : .data(remaining: remaining - take)
                continue
            case .finished:
                return index - bytes.startIndex
            default:
                break
            }
            let byte = bytes[index]
            index += 1
            switch self.step {
            case .size(let value, let digits):
                if let digit = ASCII.hexValue(byte) {
                    guard digits < 15 else { throw .malformed("a chunk size of more than 15 hex digits") }
                    self.step = .size(value: value * 16 + digit, digits: digits + 1)
                    continue
                }
                guard digits > 0 else { throw .malformed("a chunk without a size") }
                try self.afterSize(byte, value: value)
            case .sizeSpace(let value):
                try self.afterSize(byte, value: value)
            case .chunkExtension(let value, let length):
                if byte == 13 {
                    self.step = .sizeLF(value: value)
                } else {
                    // Field-value bytes only: no control characters (a bare LF among them), bounded like a head.
                    guard byte == 9 || (byte >= 0x20 && byte != 0x7F), length < UpstreamResponseParser.maxHeadSize else {
                        throw .malformed("an invalid chunk extension")
                    }
                    self.step = .chunkExtension(value: value, length: length + 1)
                }
            case .sizeLF(let value):
                guard byte == 10 else { throw .malformed("a chunk size line without LF") }
                self.step = value == 0 ? .trailer(lineLength: 0) : .data(remaining: value)
            case .dataCR:
                guard byte == 13 else { throw .malformed("chunk data longer than its size") }
                self.step = .dataLF
            case .dataLF:
                guard byte == 10 else { throw .malformed("chunk data longer than its size") }
                self.step = .size(value: 0, digits: 0)
            case .trailer(let lineLength):
                if byte == 13 {
                    self.step = .trailerLF(lineLength: lineLength)
                } else {
                    guard lineLength < UpstreamResponseParser.maxHeadSize else { throw .malformed("trailers too long") }
                    self.step = .trailer(lineLength: lineLength + 1)
                }
            case .trailerLF(let lineLength):
                guard byte == 10 else { throw .malformed("a trailer line without LF") }
                self.step = lineLength == 0 ? .finished : .trailer(lineLength: 0)
            case .data, .finished:
                break
            }
        }
        return index - bytes.startIndex
    }

    /// After a chunk size's digits: whitespace, an extension or the line's end (RFC 9112 §7.1.1).
    private mutating func afterSize(_ byte: UInt8, value: Int) throws(UpstreamResponseParser.Failure) {
        switch byte {
        case 13: self.step = .sizeLF(value: value)
        case 32, 9: self.step = .sizeSpace(value: value)
        case UInt8(ascii: ";"): self.step = .chunkExtension(value: value, length: 0)
        default: throw .malformed("an invalid chunk size")
        }
    }
}
