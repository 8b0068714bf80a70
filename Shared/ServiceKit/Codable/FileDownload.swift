import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension Response {
    /// A stored file as a download: `attachment` under its name (double quotes become apostrophes, so the name stays
    /// one quoted string) and `nosniff`, so a browser saves an uploaded page or script instead of running it.
    public static func download(_ data: Data, fileName: String, contentType: String) -> Response {
        let name = fileName.replacingOccurrences(of: "\"", with: "'")
        return Response(
            status: .ok,
            headers: [
                .contentType: contentType, .contentDisposition: "attachment; filename=\"\(name)\"",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
