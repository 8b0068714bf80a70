import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit

/// `/public/api/v1/attachments/{attachment_id}`: a message's file by its signed link, without a token, as Chatwoot's
/// ActiveStorage URLs open for the dashboard and the widget alike (decision 367).
struct AttachmentController {
    let messages: MessageSQLRepository

    func addRoutes(to files: Endpoints<AppRequestContext>) {
        files.raw(
            .get, "/{attachment_id}", "Download a message's file by its signed link (extension: the attachment's data_url)",
            responses: [200: "The file", 404: "Unknown file, or a tampered or expired link"],
            query: [
                QueryParameter("expires", "When the link stops opening the file (epoch seconds)", .integer),
                QueryParameter("signature", "The link's signature"),
            ], use: self.download)
    }

    /// The file, when the link's signature is the service's and has not expired; otherwise 404 as a missing file.
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("attachment_id").flatMap(Int.init) else { throw ChatwootRows.notFound }
        let query = request.uri.queryParameters
        guard try self.messages.links.verify(id, expires: query.get("expires"), signature: query.get("signature")) else {
            throw ChatwootRows.notFound
        }
        return Self.response(try await self.messages.attachment(account: nil, id: id))
    }

    /// A stored file as a download.
    static func response(_ file: MessageSQLRepository.AttachmentFile) -> Response {
        .download(file.data, fileName: file.fileName, contentType: file.contentType)
    }
}
