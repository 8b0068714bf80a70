import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit
import WireModels

extension AnytimeAttachment: ResponseEncodable {}

/// Where attachments are kept and shown (decision 262).
struct AttachmentSettings: Sendable {
    /// The largest file an upload may carry, in bytes.
    var maxSize: Int
    /// What download links start with: the address clients reach the gateway at.
    var publicBaseURL: String

    /// Reads `attachments.maxSize` (int, bytes, default 10485760) and `attachments.publicBaseURL` (string, default
    /// `http://127.0.0.1:8080`, the gateway on a laptop).
    init(reader: ConfigReader) {
        self.maxSize = max(1, reader.int(forKey: "attachments.maxSize", default: 10 * 1024 * 1024))
        let base = reader.string(forKey: "attachments.publicBaseURL", default: "http://127.0.0.1:8080")
        self.publicBaseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}

/// `/attachments` (seed 000 L694–L727; spec §5.13): files uploaded as multipart, kept in the database, downloadable at
/// their url while available, gone after delete.
struct AttachmentController {
    let store: ConversationStore
    let settings: AttachmentSettings

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Attachments")
        let errors = [400: "Invalid attachment", 404: "No such attachment", 413: "Too large", 415: "Not multipart/form-data"]
        api.post(
            "/attachments", "Upload a file: multipart/form-data with the file in a part named file (at most \(self.settings.maxSize) bytes)",
            returns: AnytimeAttachment.self, status: .created, errors: errors, use: self.upload)
        api.put(
            "/attachments/{guid}", "Make an attachment available or not", body: AnytimeAttachmentUpdate.self, returns: AnytimeAttachment.self,
            errors: errors, use: self.update)
        api.raw(.delete, "/attachments/{guid}", "Delete an attachment and its file", responses: [204: "Deleted"].merging(errors) { $1 }) {
            _, context in
            let (site, id) = (context.site, try Self.guid(context))
            try await self.store.write { tx in
                guard try await tx.attachments.attachment(id: id, site: site) != nil else { throw ServiceError.notFound("Attachment") }
                try await tx.attachments.delete(id: id, site: site)
            }
            return Response(status: .noContent)
        }
    }

    /// The download link: no credential, as a link in an email or a portal page is followed (the GUID is the secret).
    func addDownloadRoute(to api: Endpoints<AppRequestContext>) {
        api.tagged("Attachments").raw(
            .get, "/attachments/{guid}/download", "Download an attachment's file while it is available (extension: the attachment's url)",
            responses: [200: "The file", 404: "No such attachment, or not available"]
        ) { _, context in
            let id = try Self.guid(context)
            guard let content = try await self.store.read({ tx in try await tx.attachments.content(id: id) }) else {
                throw ServiceError.notFound("Attachment")
            }
            return Response.download(content.data, fileName: content.fileName, contentType: content.contentType)
        }
    }

    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeAttachment {
        let body = try await request.body.collect(upTo: context.maxBodySize)
        let form = try MultipartForm(
            body: Array(buffer: body), contentType: request.headers[.contentType], expecting: "the file in a part named file")
        guard let file = form.part("file") else { throw ServiceError.missing("file") }
        guard file.data.count <= self.settings.maxSize else {
            throw ServiceError.invalid("file", "Field 'file' holds \(file.data.count) bytes; at most \(self.settings.maxSize) are taken.")
        }
        let fileName = (file.filename ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !fileName.isEmpty else { throw ServiceError.invalid("file", "Field 'file' names no file (its filename is missing).") }
        guard fileName.count <= 255, !fileName.contains(where: { $0.isNewline || $0 == "/" || $0 == "\\" }) else {
            throw ServiceError.invalid("file", "Field 'file' has a file name that is too long or holds a path or line break.")
        }
        let contentType = file.contentType.flatMap { $0.count <= 255 && !$0.contains(where: \.isNewline) ? $0 : nil } ?? "application/octet-stream"
        let row = AttachmentRow(
            id: UUID().uuidString.lowercased(), siteId: context.site, fileName: fileName, contentType: contentType, size: Int64(file.data.count),
            isAvailable: true, createdTime: self.store.now)
        try await self.store.write { tx in try await tx.attachments.insert(row, data: Data(file.data)) }
        return row.wire(baseURL: self.settings.publicBaseURL)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeAttachmentUpdate) async throws -> AnytimeAttachment {
        let (site, id) = (context.site, try Self.guid(context))
        guard let available = input.isAvailable else { throw ServiceError.missing("isAvailable") }
        return try await self.store.write { tx in
            guard var row = try await tx.attachments.attachment(id: id, site: site) else { throw ServiceError.notFound("Attachment") }
            try await tx.attachments.setAvailable(available, id: id, site: site)
            row.isAvailable = available
            return row.wire(baseURL: self.settings.publicBaseURL)
        }
    }

    /// The `{guid}` of the path, lower-cased; 400 when it is not a GUID.
    static func guid<Context: RequestContext>(_ context: Context) throws -> String {
        let text = try context.parameters.require("guid")
        guard let id = UUID(uuidString: text) else {
            throw ServiceError.invalid("guid", "Parameter 'guid' must be a GUID, not '\(AnytimeLimits.shortened(text))'.")
        }
        return id.uuidString.lowercased()
    }
}
