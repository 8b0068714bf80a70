import HTTPTypes
import Hummingbird
import ServiceKit

/// Reading the CMI's query parameters, with its 400s.
struct CMIQuery {
    let parameters: Parameters

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    func string(_ name: String) -> String? {
        self.parameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `limit`: a whole number of at least 1, or absent (no limit).
    func limit() throws -> Int? {
        guard let raw = self.string("limit") else { return nil }
        guard let value = Int(raw), value >= 1 else {
            throw ServiceError(.badRequest, message: "Invalid value for limit: \(raw)", field: "limit")
        }
        return value
    }

    /// A GUID-valued filter: 400 `Invalid GUID: '…'` when malformed.
    func guid(_ name: String) throws -> String? {
        try self.string(name).map(CMIIdentifier.guid)
    }
}
