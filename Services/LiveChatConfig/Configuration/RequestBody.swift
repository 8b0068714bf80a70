import Hummingbird
import ServiceKit
import WireModels

extension Request {
    /// The JSON object a POST or PUT carries, with dotted member names expanded into nested objects.
    func configurationBody(context: AuthenticatedContext) async throws -> JSONValue {
        let body = try await self.decode(as: JSONValue.self, context: context)
        guard body.object != nil else { throw ServiceError(.badRequest, message: "The request body must be a JSON object.") }
        return body.expandingDottedKeys()
    }

    /// A JSON array body (the agent wrap-up form).
    func configurationArray(context: AuthenticatedContext) async throws -> JSONValue {
        let body = try await self.decode(as: JSONValue.self, context: context)
        guard case .array(let items) = body else { throw ServiceError(.badRequest, message: "The request body must be a JSON array of fields.") }
        return .array(items.map { $0.expandingDottedKeys() })
    }
}
