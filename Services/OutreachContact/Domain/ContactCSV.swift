import CSV
import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// The columns of the import template, of imports and of exports (spec §5.11; decision 140): `Name`, the fields in
/// their order, then one column per identity type, each headed by its field's name.
enum ContactColumn: Equatable {
    case name
    case field(FieldDefinition)
    case identity(Comm100IdentityType)
    /// An export's `Id`: the contact a row is, when the site has it.
    case id
    /// An export's times, which the server sets: read and left alone.
    case ignored

    static let nameHeader = "Name"
    static let exportHeaders = (id: "Id", created: "Create Time", updated: "Last Updated Time")

    /// The template's columns: the visible fields, non-identity ones first.
    static func template(_ fields: [FieldDefinition]) -> [(header: String, column: ContactColumn)] {
        let visible = fields.filter(\.isVisible)
        return [(Self.nameHeader, .name)] + visible.filter { !$0.isIdentity }.map { ($0.name, .field($0)) }
            + visible.compactMap { field in field.identityType.map { (field.name, .identity($0)) } }
    }

    /// The columns an import's header names (any case; any field, visible or not; an export's own columns too); 400 for
    /// an unknown or repeated column, or no `Name`.
    static func resolve(_ headers: [String], fields: [FieldDefinition]) throws -> [ContactColumn] {
        var columns: [ContactColumn] = []
        for (index, raw) in headers.enumerated() {
            let header = raw.trimmingCharacters(in: .whitespaces)
            let column: ContactColumn
            if header.lowercased() == Self.nameHeader.lowercased() {
                column = .name
            } else if header.lowercased() == Self.exportHeaders.id.lowercased() {
                column = .id
            } else if [Self.exportHeaders.created, Self.exportHeaders.updated].contains(where: { $0.lowercased() == header.lowercased() }) {
                column = .ignored
            } else if let field = fields.first(where: { $0.name.lowercased() == header.lowercased() }) {
                column = field.identityType.map { .identity($0) } ?? .field(field)
            } else {
                throw ServiceError.invalid(
                    "uploadFile", "Column \(index + 1) of the header, '\(FieldValues.shortened(header))', is neither Name nor a contact field.")
            }
            guard column == .ignored || !columns.contains(column) else {
                throw ServiceError.invalid("uploadFile", "Column \(index + 1) of the header, '\(FieldValues.shortened(header))', repeats a column.")
            }
            columns.append(column)
        }
        guard columns.contains(.name) else { throw ServiceError.invalid("uploadFile", "The header has no Name column.") }
        return columns
    }
}

/// CSV in and out, through yaslab's CSV.swift: quoting, escaped quotes and line breaks inside fields are its.
enum ContactCSV {
    /// The rows of `data` (UTF-8, an optional byte order mark); 400 when it is not text a contact could hold.
    static func rows(_ data: [UInt8]) throws -> [[String]] {
        guard var text = String(validating: data, as: UTF8.self) else {
            throw ServiceError.invalid("uploadFile", "The uploaded file is not UTF-8 text; save the CSV as UTF-8.")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.contains("\u{0}") else {
            throw ServiceError.invalid("uploadFile", "The uploaded file holds a NUL character; it is not CSV text.")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ServiceError.invalid("uploadFile", "The uploaded file is empty; it needs a header row.")
        }
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error { throw ServiceError.invalid("uploadFile", "The uploaded file could not be read as CSV (\(error)).") }
        return rows
    }

    /// `rows` as CSV text, lines ending in CRLF (RFC 4180).
    static func text(_ rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw ServiceError(.internalServerError, message: "The CSV could not be written.")
        }
        // The writer separates rows; the file ends with a line break too.
        return String(decoding: data, as: UTF8.self) + (rows.isEmpty ? "" : "\r\n")
    }
}
