import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import WireModels

extension Comm100ContactImportResult: ResponseEncodable {}

/// The import template, imports and exports of contacts as CSV (seed 002 L1048–L1093; spec §5.11).
struct ContactTransferController {
    let store: ContactStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Contact Import and Export")
        api.raw(
            .get, "/importTemplate", "Download the import template: a CSV header row of Name, the visible fields and the identity types",
            responses: [200: "The template (text/csv)"], use: self.template)
        api.post(
            "/contacts:import",
            "Import contacts from a CSV file: multipart/form-data with the file in uploadFile and duplicateControlOption (merge, the default, "
                + "replace or skip) as a part or in the query; at most 10000 rows",
            returns: Comm100ContactImportResult.self,
            query: [QueryParameter("duplicateControlOption", "merge (default), replace or skip")],
            errors: [
                400: "Unreadable file or header", 403: "Missing permission \(ContactPermission.contacts)", 413: "Too large",
                415: "Not multipart/form-data",
            ], use: self.importContacts)
        api.raw(
            .post, "/contacts:export", "Export contacts as CSV: the selected ones, or all; times in timeZoneId, else utcOffset minutes east of UTC",
            body: Comm100ContactExport.self, responses: [200: "The contacts (text/csv)", 400: "Invalid request"], use: self.export)
    }

    @Sendable func template(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let site = context.site
        let fields = try await self.store.read(site: site) { tx in try await tx.contactFields.fields(site: site) }
        return Self.csv(try ContactCSV.text([ContactColumn.template(fields).map(\.header)]), filename: "contact-import-template.csv")
    }

    @Sendable func importContacts(_ request: Request, context: AuthenticatedContext) async throws -> Comm100ContactImportResult {
        try context.require(permission: ContactPermission.contacts)
        let body = try await request.body.collect(upTo: context.maxBodySize)
        let form = try MultipartForm(
            body: Array(buffer: body), contentType: request.headers[.contentType], expecting: "the CSV file in a part named uploadFile")
        guard let file = form.part("uploadFile") else { throw ServiceError.missing("uploadFile") }
        struct Query: Decodable { var duplicateControlOption: String? }
        let given = form.part("duplicateControlOption").map { String(decoding: $0.data, as: UTF8.self) }
        let option = try DuplicateOption(spelling: given ?? (try request.decodeQuery(as: Query.self)).duplicateControlOption)
        let rows = try ContactCSV.rows(file.data)
        let (site, now) = (context.site, self.store.now)
        return try await self.store.write(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            return try await ContactImport(fields: fields, option: option, now: now).run(rows, tx: tx, site: site)
        }
    }

    @Sendable func export(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await request.decode(as: Comm100ContactExport.self, context: context)
        let zone = try Self.zone(input)
        var selected: [String]?
        if let ids = input.selected, !ids.isEmpty {
            guard ids.count <= 10_000 else { throw ServiceError.invalid("selected", "Field 'selected' may name at most 10000 contacts.") }
            selected = try ids.map { text in
                guard let id = ContactIDs.parse(text) else {
                    throw ServiceError.invalid("selected", "Field 'selected' must hold GUIDs, not '\(FieldValues.shortened(text))'.")
                }
                return id
            }
        }
        let (site, chosen) = (context.site, selected)
        let (fields, contacts) = try await self.store.read(site: site) { tx in
            (try await tx.contactFields.fields(site: site), try await tx.contacts.exported(ids: chosen, site: site))
        }
        let columns = ContactColumn.template(fields)
        var rows = [["Id"] + columns.map(\.header) + ["Create Time", "Last Updated Time"]]
        for contact in contacts {
            var row = [contact.id]
            for (_, column) in columns {
                switch column {
                case .name: row.append(contact.name)
                case .field(let field): row.append(contact.values[field.id]?.text ?? "")
                case .identity(let type): row.append(contact.identities.filter { $0.type == type }.map(\.value).joined(separator: ";"))
                case .id, .ignored: break
                }
            }
            row.append(ContactTime.format(contact.createTime, offsetMinutes: zone(contact.createTime)))
            row.append(ContactTime.format(contact.lastUpdatedTime, offsetMinutes: zone(contact.lastUpdatedTime)))
            rows.append(row)
        }
        let stamp = ContactTime.format(self.store.now, offsetMinutes: 0).filter(\.isNumber)
        return Self.csv(try ContactCSV.text(rows), filename: "contacts-\(stamp).csv")
    }

    /// The offset (minutes east of UTC) at an instant: `timeZoneId`'s, with its daylight saving time, when it names a
    /// zone; else `utcOffset` (spec §6 #46).
    static func zone(_ input: Comm100ContactExport) throws -> @Sendable (Int64) -> Int {
        if let id = input.timeZoneId?.trimmingCharacters(in: .whitespaces), !id.isEmpty, let zone = TimeZone(identifier: id) {
            return { milliseconds in zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000)) / 60 }
        }
        guard let offset = input.utcOffset else {
            guard let id = input.timeZoneId, !id.isEmpty else { throw ServiceError.missing("timeZoneId") }
            throw ServiceError.invalid(
                "timeZoneId", "Field 'timeZoneId' names no time zone ('\(FieldValues.shortened(id))') and utcOffset is absent.")
        }
        guard (-14 * 60...14 * 60).contains(offset) else {
            throw ServiceError.invalid("utcOffset", "Field 'utcOffset' must be between -840 and 840 minutes.")
        }
        return { _ in offset }
    }

    static func csv(_ text: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
