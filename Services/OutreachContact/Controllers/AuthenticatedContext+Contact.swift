import Hummingbird
import ServiceKit

/// The permissions the Contact API checks (decision 132); administrators hold every one, reading needs none.
enum ContactPermission {
    /// Creating, changing, deleting, merging and importing contacts.
    static let contacts = "Manage Contacts"
    /// Creating, changing and deleting contact fields.
    static let fields = "Manage Contact Fields"
}

extension AuthenticatedContext {
    /// The signed-in agent's site: every row the Contact API reads or writes is scoped by it.
    var site: String { self.identity.tenant }

    /// 403 in Comm100's shape unless the agent holds `permission`.
    func require(permission: String) throws {
        guard self.identity.has(permission: permission) else { throw ServiceError.forbidden("Permission '\(permission)' is required.") }
    }

    /// The GUID in the path parameter `name`, canonical; 400 naming it when it is not a GUID (decision 133).
    func guid(_ name: String = "id") throws -> String {
        let text = try self.parameters.require(name)
        guard let id = ContactIDs.parse(text) else {
            throw ServiceError.invalid(name, "Parameter '\(name)' must be a GUID, not '\(FieldValues.shortened(text))'.")
        }
        return id
    }
}
