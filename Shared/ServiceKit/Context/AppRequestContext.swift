import Hummingbird
import Logging
import NIOCore

/// The request context of every Switchboard service: the request id and, once authenticated, the identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Taken from `X-Request-ID` or made by ``RequestID``, set by ``EdgeMiddleware``.
    public var requestID: String
    /// Set by an authenticator middleware; read through ``AuthenticatedContext`` in protected routes.
    public var identity: Identity?
    /// The peer's address, for rate limits and access logs.
    public let remoteAddress: SocketAddress?
    /// The service's `http.maxBodySize`, set by ``EdgeMiddleware`` (the context is made before any
    /// configuration can reach it); Hummingbird's own 2 MiB until then.
    public var maxBodySize: Int
    public var maxUploadSize: Int { self.maxBodySize }
    /// JSON bodies decode through ``JSONBody``: 400s that name the field, 413 over the limit.
    public var requestDecoder: ServiceRequestDecoder { ServiceRequestDecoder() }
    /// The service's API, set with the body limit: typed answers are written as it writes them.
    public var dialect: any APIDialect
    public var responseEncoder: DialectResponseEncoder { DialectResponseEncoder(dialect: self.dialect) }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
        self.maxBodySize = ServiceSettings.defaultMaxBodySize
        self.dialect = GatewayErrorDialect()  // plain JSON until the guard middleware sets the service's own
    }
}

/// A context that exists only with an identity, so a protected handler cannot run without one.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let requestID: String
    public let identity: Identity
    public let maxBodySize: Int
    public var maxUploadSize: Int { self.maxBodySize }
    public var requestDecoder: ServiceRequestDecoder { ServiceRequestDecoder() }
    public let dialect: any APIDialect
    public var responseEncoder: DialectResponseEncoder { DialectResponseEncoder(dialect: self.dialect) }

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else {
            throw ServiceError(.unauthorized, message: "Authentication required.")
        }
        self.coreContext = context.coreContext
        self.requestID = context.requestID
        self.identity = identity
        self.maxBodySize = context.maxBodySize
        self.dialect = context.dialect
    }
}
