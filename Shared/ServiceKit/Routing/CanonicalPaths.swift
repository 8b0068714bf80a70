import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Comm100's APIs match paths in any case and take colon verbs percent-encoded (`contacts%3Aquery`), and their seeds
/// spell one path several ways (seed 002: `contactIdentities` and `ContactIdentities`, L46 and L1129). A router's
/// middleware runs after the route is chosen, so this responder, in front of the router, rewrites each literal segment
/// of a service path to the spelling the routes declare, `%3A` to `:`, before the router sees it (decision 135).
/// Parameters (ids) keep their spelling.
public struct CanonicalPathResponder<Inner: HTTPResponder>: HTTPResponder {
    public typealias Context = Inner.Context
    let inner: Inner
    let spellings: CanonicalSpellings

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard let path = request.head.path, let rewritten = self.spellings.canonical(path) else {
            return try await self.inner.respond(to: request, context: context)
        }
        var head = request.head
        head.path = rewritten
        return try await self.inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}

/// The literal path segments and colon verbs of the declared routes, by their lower-cased spelling.
public struct CanonicalSpellings: Sendable {
    /// Paths under these prefixes (lower-cased, with a leading slash) are rewritten; others are left alone.
    let prefixes: [String]
    let segments: [String: String]
    /// `:merge` and the like, as the suffix of a segment holding a path parameter.
    let verbs: [String: String]

    public init(routes: some Sequence<String>, prefixes: [String]) {
        var segments: [String: String] = [:]
        var verbs: [String: String] = [:]
        for route in routes {
            for segment in route.split(separator: "/") {
                if let close = segment.lastIndex(of: "}") {
                    let suffix = segment[segment.index(after: close)...]
                    if suffix.hasPrefix(":") { verbs[suffix.lowercased()] = String(suffix) }
                } else {
                    segments[segment.lowercased()] = String(segment)
                }
            }
        }
        self.segments = segments
        self.verbs = verbs
        self.prefixes = prefixes.map { $0.lowercased() }
    }

    /// `path` (with its query) as the routes spell it; nil when it already is, or is not a service path.
    func canonical(_ target: String) -> String? {
        let split = target.firstIndex(of: "?") ?? target.endIndex
        let path = target[..<split]
        let lowered = path.lowercased()
        guard
            self.prefixes.contains(where: {
                lowered == $0 || lowered.hasPrefix($0 + "/") || lowered.hasPrefix($0 + "%") || lowered.hasPrefix($0 + ":")
            })
        else { return nil }
        var changed = false
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { part -> Substring in
            var segment = String(part)
            if segment.range(of: "%3a", options: .caseInsensitive) != nil {
                segment = segment.replacingOccurrences(of: "%3a", with: ":", options: .caseInsensitive)
            }
            if let known = self.segments[segment.lowercased()] {
                segment = known
            } else if let colon = segment.lastIndex(of: ":"), let verb = self.verbs[segment[colon...].lowercased()] {
                segment = String(segment[..<colon]) + verb
            }
            if segment != part { changed = true }
            return Substring(segment)
        }
        guard changed else { return nil }
        return parts.joined(separator: "/") + target[split...]
    }
}

/// The application with ``CanonicalPathResponder`` in front of its router; everything else is the wrapped one's.
public struct CanonicalPathApplication<Wrapped: ApplicationProtocol>: ApplicationProtocol {
    public typealias Responder = CanonicalPathResponder<Wrapped.Responder>
    let wrapped: Wrapped
    let spellings: CanonicalSpellings

    public init(wrapped: Wrapped, spellings: CanonicalSpellings) {
        self.wrapped = wrapped
        self.spellings = spellings
    }

    public var responder: Responder {
        get async throws { CanonicalPathResponder(inner: try await self.wrapped.responder, spellings: self.spellings) }
    }
    public var server: HTTPServerBuilder { self.wrapped.server }
    public var eventLoopGroup: any EventLoopGroup { self.wrapped.eventLoopGroup }
    public var configuration: ApplicationConfiguration { self.wrapped.configuration }
    public var logger: Logger { self.wrapped.logger }
    public var services: [any Service] { self.wrapped.services }
    public var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { self.wrapped.processesRunBeforeServerStart }

    public func onServerRunning(_ channel: any Channel) async {
        await self.wrapped.onServerRunning(channel)
    }
}
