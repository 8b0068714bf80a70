import CSV
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("Contact API: import template, import and export")
struct ContactTransferTests {
    /// A multipart/form-data body with the file in `uploadFile` and, when given, the option as a part.
    static func form(_ csv: String, option: String? = nil, boundary: String = "----switchboard7MA4YWxk") -> (String, HTTPFields) {
        var body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"uploadFile\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
        if let option { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"duplicateControlOption\"\r\n\r\n\(option)\r\n" }
        body += "--\(boundary)--\r\n"
        return (body, [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    func upload(_ api: ContactTestClient, _ csv: String, option: String? = nil, query: String = "") async throws -> ContactTestClient.Reply {
        let (body, headers) = Self.form(csv, option: option)
        return try await api.send(.post, "/contact/contacts:import\(query)", body, headers: headers)
    }

    /// Rows of a CSV answer, read with the same library a client would use.
    static func rows(_ reply: ContactTestClient.Reply) throws -> [[String]] {
        let reader = try CSVReader(string: reply.text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test("The template is a CSV header generated from the current fields: Name, visible fields by order, identity types")
    func template() async throws {
        try await ContactTestClient.run { api in
            try await api.createField(#"{"name": "Shoe, Size", "type": "integer"}"#)
            try await api.createField(#"{"name": "Hidden", "type": "text", "isVisible": false}"#)
            let reply = try await api.get("/contact/importTemplate")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(reply.headers[.contentDisposition] == "attachment; filename=\"contact-import-template.csv\"")
            let header = try #require(try Self.rows(reply).first)
            #expect(header.prefix(3) == ["Name", "firstName", "lastName"] && header.contains("Shoe, Size") && !header.contains("Hidden"))
            #expect(header.suffix(12) == ArraySlice(Comm100IdentityType.allCases.map(\.rawValue)))
            #expect(reply.text.contains("\"Shoe, Size\""))
            #expect(try await api.get("/contact/IMPORTTEMPLATE", as: AgentDirectory.reader).status == .ok)
        }
    }

    @Test("Import with merge, replace and skip: created, updated, skipped and failed rows counted, failures with row numbers and reasons")
    func importOptions() async throws {
        try await ContactTestClient.run { api in
            try await api.createField(#"{"name": "Age", "type": "integer"}"#)
            let existing = try await api.createContact(
                #"{"name": "Ann", "contactIdentities": [{"contactIdentityType": "email", "value": "ann@example.com"}], "customFields": {"company": "Acme", "city": "Oslo"}}"#
            )
            let csv = """
                Name,company,city,Age,email,SMS
                Ann Updated,Globex,,31,ANN@example.com,+1 555 0100
                Bob,Initech,"Paris, France",40,bob@example.com,
                ,NoName,,,x@example.com,
                Carl,,,not a number,carl@example.com,
                Bob Again,Umbrella,,,bob@example.com;bob2@example.com,

                Dee,,,,not-an-email,
                """
            let merged = try await self.upload(api, csv)
            #expect(merged.status == .ok, "\(merged.text)")
            let result = try merged.decode(Comm100ContactImportResult.self)
            #expect(result.createdCount == 1 && result.updatedCount == 2 && result.skippedCount == 0 && result.failedCount == 3, "\(result)")
            #expect(result.failedRows.map(\.rowNumber) == [3, 4, 7])
            #expect(result.failedRows[0].errors == ["Parameter 'name' is required."] && result.failedRows[0].data["company"] == "NoName")
            #expect(result.failedRows[1].errors.first?.contains("'customFields.Age' must be a whole number") == true)
            #expect(result.failedRows[2].errors.first?.contains("must be an email address") == true)
            // merge: non-empty cells overwrite, empty ones keep, identities are added.
            let ann = try await api.get("/contact/contacts/\(existing.id)").decode(Comm100Contact.self)
            #expect(
                ann.name == "Ann Updated" && ann.customFields["company"] == "Globex" && ann.customFields["city"] == "Oslo"
                    && ann.customFields["Age"] == "31")
            #expect(ann.contactIdentities.map(\.value) == ["ann@example.com", "+1 555 0100"])
            // The file's own earlier row is a duplicate too.
            let bob = try #require(try await api.get("/contact/contacts?keywords=bob").decode(Comm100ContactPage.self).contacts.first)
            #expect(bob.name == "Bob Again" && bob.customFields["city"] == "Paris, France" && bob.customFields["company"] == "Umbrella")
            #expect(bob.contactIdentities.map(\.value) == ["bob@example.com", "bob2@example.com"])
            #expect(try await api.get("/contact/contacts").decode(Comm100ContactPage.self).total == 2)

            let skipped = try await self.upload(api, "Name,email\nAnyone,ann@example.com\nNew,new@example.com\n", option: "SKIP")
            #expect(
                try skipped.decode(Comm100ContactImportResult.self)
                    == .init(createdCount: 1, updatedCount: 0, skippedCount: 1, failedCount: 0, failedRows: []))
            #expect(try await api.get("/contact/contacts/\(existing.id)").decode(Comm100Contact.self).name == "Ann Updated")

            // replace: the row is the contact; empty cells clear, identities are exactly the row's.
            let replaced = try await self.upload(
                api, "Name,company,city,email\nAnn R,,Rome,ann@example.com\n", query: "?duplicateControlOption=replace")
            #expect(try replaced.decode(Comm100ContactImportResult.self).updatedCount == 1)
            let annReplaced = try await api.get("/contact/contacts/\(existing.id)").decode(Comm100Contact.self)
            #expect(annReplaced.name == "Ann R" && annReplaced.customFields["company"] == "" && annReplaced.customFields["city"] == "Rome")
            #expect(annReplaced.customFields["Age"] == "31" && annReplaced.contactIdentities.map(\.value) == ["ann@example.com"])

            // A row whose identities belong to two contacts fails.
            let split = try await self.upload(api, "Name,email\nBoth,ann@example.com;new@example.com\n")
            let failure = try #require(try split.decode(Comm100ContactImportResult.self).failedRows.first)
            #expect(failure.rowNumber == 1 && failure.errors.first?.contains("belong to different contacts") == true)
        }
    }

    @Test("Broken uploads are 4xx naming the problem: not multipart, no file, bad option, not UTF-8, no header, unknown columns, too many rows")
    func brokenUploads() async throws {
        try await ContactTestClient.run { api in
            let notMultipart = try await api.post("/contact/contacts:import", #"{"uploadFile": "https://example.com/a.csv"}"#)
            #expect(notMultipart.status == .unsupportedMediaType && notMultipart.message.contains("multipart/form-data"))
            let noBoundary = try await api.send(.post, "/contact/contacts:import", "x", headers: [.contentType: "multipart/form-data"])
            #expect(noBoundary.status == .badRequest && noBoundary.message.contains("boundary"))
            let truncated = try await api.send(
                .post, "/contact/contacts:import", "--b\r\nContent-Disposition: form-data; name=\"uploadFile\"\r\n\r\nName\r\n",
                headers: [.contentType: "multipart/form-data; boundary=b"])
            #expect(truncated.status == .badRequest && truncated.message.contains("closing boundary"))
            let other = try await api.send(
                .post, "/contact/contacts:import", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nName\r\n--b--\r\n",
                headers: [.contentType: "multipart/form-data; boundary=\"b\""])
            #expect(other.status == .badRequest && other.message.contains("'uploadFile' is required"))
            let cases: [(String, String?, HTTPResponse.Status, String)] = [
                ("Name\nA\n", "overwrite", .badRequest, "'duplicateControlOption' must be merge, replace or skip"),
                ("", nil, .badRequest, "empty"), ("\n\n", nil, .badRequest, "empty"),
                ("Name,Shoe\nA,1\n", nil, .badRequest, "'Shoe', is neither Name nor a contact field"),
                ("company,city\nA,B\n", nil, .badRequest, "no Name column"), ("Name,name\nA,B\n", nil, .badRequest, "repeats a column"),
                ("Name\n" + String(repeating: "A\n", count: 10_001), nil, .contentTooLarge, "at most 10000"),
                ("Name\u{0}\nA\n", nil, .badRequest, "NUL"),
            ]
            for (csv, option, status, words) in cases {
                let reply = try await self.upload(api, csv, option: option)
                #expect(reply.status == status && reply.message.contains(words), "\(csv.prefix(30)): \(reply.text)")
            }
            var latin1 = Array("--b\r\nContent-Disposition: form-data; name=\"uploadFile\"\r\n\r\nName\nJos".utf8)
            latin1 += [0xE9] + Array("\r\n--b--\r\n".utf8)
            let response = try await api.client.execute(
                uri: "/contact/contacts:import?siteId=10000", method: .post,
                headers: [.authorization: AgentDirectory.admin.credential, .contentType: "multipart/form-data; boundary=b"],
                body: ByteBuffer(bytes: latin1))
            #expect(response.status == .badRequest && String(buffer: response.body).contains("not UTF-8"))
            // A row with the wrong number of cells fails alone; quotes left open swallow the rest into one cell.
            let ragged = try await self.upload(api, "Name,company\nA,B,C\nD\n\"E,F\nG,H\n")
            let result = try ragged.decode(Comm100ContactImportResult.self)
            #expect(result.failedCount == 3 && result.failedRows.map(\.rowNumber) == [1, 2, 3] && result.createdCount == 0, "\(result)")
            #expect(result.failedRows[0].errors == ["The row has 3 values; the header has 2 columns."])
            #expect(try await self.upload(api, "Name\nA\n").status == .ok)
            let forbidden = try await api.send(
                .post, "/contact/contacts:import", Self.form("Name\nB\n").0, as: AgentDirectory.reader, headers: Self.form("").1)
            #expect(forbidden.status == .forbidden)
            #expect(try await api.get("/contact/contacts").decode(Comm100ContactPage.self).total == 1)
        }
    }

    @Test("Export: selected contacts or all, identities joined with ;, times in the requested zone (its DST), else the offset")
    func export() async throws {
        try await ContactTestClient.run { api in
            let first = try await api.createContact(
                #"{"name": "Ann, \"A\"", "contactIdentities": [{"contactIdentityType": "email", "value": "a@example.com"}, {"contactIdentityType": "email", "value": "b@example.com"}], "customFields": {"city": "Line1\nLine2"}}"#
            )
            let second = try await api.createContact(#"{"name": "Bob", "contactIdentities": []}"#)
            let merged = try await api.createContact(#"{"name": "Gone", "contactIdentities": []}"#)
            #expect(try await api.post("/contact/contacts/\(second.id):merge", #"{"contactId": "\#(merged.id)"}"#).status == .noContent)
            let all = try await api.post("/contact/contacts:export", #"{"timeZoneId": "America/Vancouver", "utcOffset": 0}"#)
            #expect(all.status == .ok && all.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(all.headers[.contentDisposition]?.wholeMatch(of: /attachment; filename="contacts-\d{14}\.csv"/) != nil)
            let rows = try Self.rows(all)
            #expect(rows.count == 3 && rows[0].first == "Id" && rows[0].suffix(2) == ["Create Time", "Last Updated Time"])
            let header = rows[0]
            let annRow = try #require(rows.first { $0.first == first.id })
            #expect(annRow[header.firstIndex(of: "Name")!] == "Ann, \"A\"" && annRow[header.firstIndex(of: "city")!] == "Line1\nLine2")
            #expect(annRow[header.firstIndex(of: "email")!] == "a@example.com;b@example.com")
            // The creation time, shifted by the zone's offset at that instant.
            let created = try #require(ContactTime.parse(first.createTime)).milliseconds
            let vancouver = TimeZone(identifier: "America/Vancouver")!.secondsFromGMT(for: Date(timeIntervalSince1970: Double(created) / 1000)) / 60
            #expect(annRow[header.firstIndex(of: "Create Time")!] == ContactTime.format(created, offsetMinutes: vancouver))
            let offset = try Self.rows(
                try await api.post(
                    "/contact/contacts:export",
                    #"{"selected": ["\#(first.id.uppercased())", "\#(UUID().uuidString)"], "timeZoneId": "", "utcOffset": 480}"#))
            #expect(offset.count == 2 && offset[1][header.firstIndex(of: "Create Time")!] == ContactTime.format(created, offsetMinutes: 480))
            let fallback = try Self.rows(try await api.post("/contact/contacts:export", #"{"timeZoneId": "Not/AZone", "utcOffset": -420}"#))
            #expect(fallback[1].last == ContactTime.format(try #require(ContactTime.parse(first.lastUpdatedTime)).milliseconds, offsetMinutes: -420))
            for (body, words) in [
                (#"{"utcOffset": 2000}"#, "'utcOffset' must be between"), (#"{}"#, "'timeZoneId' is required"),
                (#"{"timeZoneId": "Not/AZone"}"#, "names no time zone"), (#"{"timeZoneId": "UTC", "selected": ["x"]}"#, "'selected' must hold GUIDs"),
                (#"{"timeZoneId": "UTC", "selected": "x"}"#, "'selected' must be an array"),
            ] {
                let reply = try await api.post("/contact/contacts:export", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.text)")
            }
            let elsewhere = try Self.rows(try await api.post("/contact/contacts:export", #"{"timeZoneId": "UTC"}"#, as: AgentDirectory.otherSite))
            #expect(elsewhere.count == 1)
            // An export reads back as an import: the same contacts (by Id and identities), updated in place.
            let reimport = try await self.upload(api, all.text.replacingOccurrences(of: "Bob", with: "Robert"))
            #expect(
                try reimport.decode(Comm100ContactImportResult.self)
                    == .init(createdCount: 0, updatedCount: 2, skippedCount: 0, failedCount: 0, failedRows: []))
            #expect(try await api.get("/contact/contacts/\(second.id)").decode(Comm100Contact.self).name == "Robert")
            let ann = try await api.get("/contact/contacts/\(first.id)").decode(Comm100Contact.self)
            #expect(ann.name == "Ann, \"A\"" && ann.customFields["city"] == "Line1\nLine2" && ann.contactIdentities.count == 2)
            let badId = try await self.upload(api, "Id,Name\nnope,X\n")
            #expect(try badId.decode(Comm100ContactImportResult.self).failedRows.first?.errors == ["The Id 'nope' is not a GUID."])
        }
    }
}
