import HTTPTypes

/// A domain error that any dialect can render: an HTTP status, the vendor's numeric code where it has one,
/// a message for the client, and the offending field where there is one.
public struct ServiceError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// The vendor's own code (Comm100 `400000`-style); nil lets the dialect derive one from the status.
    public var code: Int?
    public var message: String
    public var field: String?
    /// Extra headers such as `Retry-After` or `WWW-Authenticate`.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: Int? = nil, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    /// 400 naming the field that is wrong.
    public static func invalid(_ field: String, _ message: String) -> ServiceError {
        ServiceError(.badRequest, message: message, field: field)
    }

    /// 400 for a required field that is absent.
    public static func missing(_ field: String) -> ServiceError {
        ServiceError(.badRequest, message: "Parameter '\(field)' is required.", field: field)
    }

    /// 404 for an unknown or invisible resource.
    public static func notFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, message: "\(what) not found.")
    }

    public static func forbidden(_ message: String = "You do not have permission to perform this action.") -> ServiceError {
        ServiceError(.forbidden, message: message)
    }

    public static func unauthorized(_ message: String = "Invalid credentials.") -> ServiceError {
        ServiceError(.unauthorized, message: message)
    }
}
