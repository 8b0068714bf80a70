import HTTPTypes
import Hummingbird
import ServiceKit

extension AuthenticatedContext {
    /// 403 in Comm100's shape unless the agent holds `permission` (administrators hold every one).
    func require(permission: String) throws {
        // The seed misspells one permission; an agent granted either spelling holds it.
        let granted = self.identity.has(permission: permission) || (permission == CannedMessagePermission.name && self.identity.has(permission: CannedMessagePermission.seedSpelling))
        guard granted else { throw ServiceError.forbidden("Permission '\(permission)' is required.") }
    }

    /// A Live Chat object's integer id from the path; one that is not a number names nothing (404).
    func objectID(_ what: String) throws -> Int {
        guard let id = Int(try self.parameters.require("id")) else { throw ServiceError.notFound(what) }
        return id
    }
}
