import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// What an import does with a row whose identities belong to a contact already (L1068; spec §5.11, decision 140).
enum DuplicateOption: String, CaseIterable {
    /// Non-empty cells overwrite, empty ones leave the value, new identities are added (the default).
    case merge
    /// The row is the contact: name and every column's value (empty cells clear), identities exactly the row's.
    case replace
    /// The row is left out.
    case skip

    init(spelling: String?) throws {
        let text = (spelling ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !text.isEmpty else {
            self = .merge
            return
        }
        guard let option = Self(rawValue: text) else {
            throw ServiceError.invalid(
                "duplicateControlOption", "Parameter 'duplicateControlOption' must be merge, replace or skip, not '\(FieldValues.shortened(text))'.")
        }
        self = option
    }
}

/// Imports the rows of a CSV file (spec §5.11): each row checked as a create or update would be, a refused row
/// reported with its reasons while the others go in; rows are matched against contacts by identity (and by an
/// export's `Id`), earlier rows of the same file included.
struct ContactImport {
    static let maxRows = 10_000
    let fields: [FieldDefinition]
    let option: DuplicateOption
    let now: Int64

    /// Runs the file's data rows in `tx`, under the site's lock.
    func run(_ rows: [[String]], tx: Tx, site: String) async throws -> Comm100ContactImportResult {
        guard let header = rows.first else { throw ServiceError.invalid("uploadFile", "The uploaded file is empty; it needs a header row.") }
        let columns = try ContactColumn.resolve(header, fields: self.fields)
        let data = rows.dropFirst()
        guard data.count <= Self.maxRows else {
            throw ServiceError(.contentTooLarge, message: "The uploaded file has \(data.count) rows; an import takes at most \(Self.maxRows).")
        }
        var result = Comm100ContactImportResult(createdCount: 0, updatedCount: 0, skippedCount: 0, failedCount: 0, failedRows: [])
        for (offset, cells) in data.enumerated() {
            guard cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { continue }
            do {
                guard cells.count == header.count else {
                    throw ServiceError.invalid("uploadFile", "The row has \(cells.count) values; the header has \(header.count) columns.")
                }
                switch try await self.importRow(cells, columns: columns, tx: tx, site: site) {
                case .created: result.createdCount += 1
                case .updated: result.updatedCount += 1
                case .skipped: result.skippedCount += 1
                }
            } catch let error as ServiceError where error.status.code < 500 {
                result.failedCount += 1
                var shown: [String: String] = [:]
                for (index, cell) in cells.enumerated() { shown[index < header.count ? header[index] : "column \(index + 1)"] = cell }
                result.failedRows.append(Comm100ContactImportFailure(rowNumber: offset + 1, data: shown, errors: [error.message]))
            }
        }
        return result
    }

    enum Outcome { case created, updated, skipped }

    func importRow(_ cells: [String], columns: [ContactColumn], tx: Tx, site: String) async throws -> Outcome {
        var name: String?
        var id: String?
        var values: [(name: String, value: String?)] = []
        var identities: [Comm100ContactIdentityInput] = []
        for (column, cell) in zip(columns, cells) {
            let text = cell.trimmingCharacters(in: .whitespacesAndNewlines)
            switch column {
            case .name: name = text
            case .id where !text.isEmpty:
                guard let parsed = ContactIDs.parse(text) else {
                    throw ServiceError.invalid("Id", "The Id '\(FieldValues.shortened(text))' is not a GUID.")
                }
                id = parsed
            case .id, .ignored: break
            case .field(let field):
                // Empty cells leave a value alone, except when the row replaces the contact.
                if !text.isEmpty || self.option == .replace { values.append((field.name, text)) }
            case .identity(let type):
                // Several identities of a type share a cell, separated by `;` (as exports write them).
                for value in text.split(separator: ";") where !value.trimmingCharacters(in: .whitespaces).isEmpty {
                    identities.append(Comm100ContactIdentityInput(type: type.rawValue, value: value.trimmingCharacters(in: .whitespaces)))
                }
            }
        }
        let rules = ContactRules(fields: self.fields)
        var owners = try await tx.contacts.owners(of: try rules.identities(identities, current: []), site: site)
        // An export's Id names the contact too, when the site has it and it was not merged away.
        if let id, let named = try await tx.contacts.contact(id: id, site: site), named.mergeToContactId == nil, !owners.contains(id) {
            owners.append(id)
        }
        guard owners.count <= 1 else {
            throw ServiceError.invalid("uploadFile", "The row's identities belong to different contacts: \(owners.joined(separator: ", ")).")
        }
        let customFields = Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        guard let owner = owners.first else {
            let record = try rules.created(
                Comm100ContactInput(name: name, contactIdentities: identities, customFields: customFields), now: self.now)
            try await tx.contacts.insert(record, site: site)
            return .created
        }
        if self.option == .skip { return .skipped }
        guard let current = try await tx.contacts.contact(id: owner, site: site) else { return .skipped }
        var input = Comm100ContactInput(
            name: name?.isEmpty == false || self.option == .replace ? name : nil, contactIdentities: nil, customFields: customFields)
        switch self.option {
        case .replace: input.contactIdentities = identities
        default:
            let kept = current.identities.map { identity in
                var input = Comm100ContactIdentityInput(type: identity.type.rawValue, value: identity.value, name: identity.name)
                input.id = identity.id
                input.avatarUrl = identity.avatarUrl
                input.infoUrl = identity.infoUrl
                input.screenName = identity.screenName
                input.originalContactPageUrl = identity.originalContactPageUrl
                return input
            }
            let added = identities.filter { row in
                !current.identities.contains { $0.type.rawValue == row.type && $0.key == IdentityRules.key(row.value ?? "", type: $0.type) }
            }
            input.contactIdentities = kept + added
        }
        let record = try rules.updated(input, current: current, now: self.now)
        try await tx.contacts.update(record, site: site)
        return .updated
    }
}
