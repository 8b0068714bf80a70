import NIOCore

/// A request body that fails once more than `limit` bytes have passed, so a body without a
/// `Content-Length` cannot exceed the gateway's size limit either.
struct LimitedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var seen = 0
        let limit: Int

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await self.base.next() else { return nil }
            self.seen += buffer.readableBytes
            if self.seen > self.limit { throw BodyTooLarge(limit: self.limit) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.base.makeAsyncIterator(), limit: self.limit)
    }
}

/// A request body passed the gateway's size limit.
struct BodyTooLarge: Error {
    let limit: Int
}
