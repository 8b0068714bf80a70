import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A stored attachment: its file and what the API shows of it (decision 262).
struct AttachmentRow: Codable, Sendable {
    var id: String
    var siteId: String
    var fileName: String
    var contentType: String
    var size: Int64
    var isAvailable: Bool
    var createdTime: Int64

    func wire(baseURL: String) -> AnytimeAttachment {
        AnytimeAttachment(
            id: self.id, fileName: self.fileName, url: "\(baseURL)/api/v3/anytime/attachments/\(self.id)/download", isAvailable: self.isAvailable)
    }
}

/// The file's bytes, read only to download it.
struct AttachmentContent: Codable, Sendable {
    var fileName: String
    var contentType: String
    var data: Data
}

/// Attachments and their files, in the service's database (both engines, no shared disk between instances).
struct AttachmentSQLRepository {
    static let columns = ["id", "site_id", "file_name", "content_type", "size", "is_available", "created_time"]
    let sql: any SQLDatabase

    func insert(_ row: AttachmentRow, data: Data) async throws {
        try await self.sql.insert(into: "conversation_attachments").columns(Self.columns + ["data"])
            .values(
                SQLBind(row.id), SQLBind(row.siteId), SQLBind(row.fileName), SQLBind(row.contentType), SQLBind(row.size),
                SQLBind(row.isAvailable), SQLBind(row.createdTime), SQLBind(data)
            ).run()
    }

    /// The site's attachment `id` (its file left unread).
    func attachment(id: String, site: String) async throws -> AttachmentRow? {
        try await self.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("conversation_attachments").where("id", .equal, id)
            .where("site_id", .equal, site).first(AttachmentRow.self)
    }

    /// The site's attachments among `ids` that are available, by id.
    func available(ids: [String], site: String) async throws -> [String: AttachmentRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("conversation_attachments")
            .where("site_id", .equal, site).where("id", .in, ids).where("is_available", .equal, true).all(AttachmentRow.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func setAvailable(_ available: Bool, id: String, site: String) async throws {
        try await self.sql.update("conversation_attachments").set("is_available", to: available).where("id", .equal, id)
            .where("site_id", .equal, site).run()
    }

    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_attachments").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// The file of an available attachment, for its download link (which names no site: the id is the secret).
    func content(id: String) async throws -> AttachmentContent? {
        try await self.sql.select().columns("file_name", "content_type", "data").from("conversation_attachments").where("id", .equal, id)
            .where("is_available", .equal, true).first(AttachmentContent.self)
    }
}

extension Tx {
    var attachments: AttachmentSQLRepository { AttachmentSQLRepository(sql: self.sql) }
}
