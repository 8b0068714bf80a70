import Foundation
import WireModels

/// A contact as stored: its row, its identities in their order, and its field values by field id.
struct ContactRecord: Sendable, Equatable {
    var id: String
    var name: String
    var createTime: Int64
    var lastUpdatedTime: Int64
    var mergeToContactId: String?
    var identities: [IdentityRecord]
    var values: [String: StoredValue]

    /// The wire object: every non-identity field in `customFields` (`""` when unset; spec §6 #35), `firstName` and
    /// `lastName` also at the top (decision 124).
    func wire(fields: [FieldDefinition]) -> Comm100Contact {
        var custom: [String: String] = [:]
        for field in fields where !field.isIdentity { custom[field.name] = self.values[field.id]?.text ?? "" }
        let systemValue = { (name: String) in
            fields.first { $0.isSystem && $0.name == name }.flatMap { self.values[$0.id]?.text } ?? ""
        }
        return Comm100Contact(
            id: self.id, name: self.name, firstName: systemValue("firstName"), lastName: systemValue("lastName"),
            createTime: ContactTime.format(self.createTime), lastUpdatedTime: ContactTime.format(self.lastUpdatedTime),
            mergeToContactId: self.mergeToContactId ?? ContactIDs.empty, customFields: custom,
            contactIdentities: self.identities.map { $0.wire(contactId: self.id) })
    }
}

/// One identity of a contact.
struct IdentityRecord: Sendable, Equatable {
    var id: String
    var type: Comm100IdentityType
    var value: String
    var name: String
    var avatarUrl: String
    var infoUrl: String
    var screenName: String
    var originalContactPageUrl: String

    /// What uniqueness compares (decision 126).
    var key: String { IdentityRules.key(self.value, type: self.type) }

    func wire(contactId: String) -> Comm100ContactIdentity {
        Comm100ContactIdentity(
            id: self.id, contactId: contactId, contactIdentityType: self.type.rawValue, name: self.name, value: self.value,
            avatarUrl: self.avatarUrl, infoUrl: self.infoUrl, screenName: self.screenName, originalContactPageUrl: self.originalContactPageUrl)
    }
}
