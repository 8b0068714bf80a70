import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceKit

/// `/docs/`: the API documents of every service behind the gateway, in one place. The listing names each
/// upstream with the prefixes it owns and links its OpenAPI document, which the gateway reads from an
/// available instance's `/openapi.json` when asked.
struct DocsController: Sendable {
    let upstreams: [Upstream]

    func addRoutes(to router: some RouterMethods<AppRequestContext>, document: OpenAPIDocument) {
        router.get("/docs", use: self.listing)
        router.get("/docs/:service/openapi.json", use: self.serviceDocument)
        let tag = "Documentation"
        document.describe(
            .get, "/docs",
            .init(
                "The services behind the gateway, their prefixes and their OpenAPI documents (HTML, or JSON when asked)", tag: tag, isExtension: true)
        )
        document.describe(
            .get, "/docs/{service}/openapi.json",
            .init(
                "One service's OpenAPI document, read from an available instance", tag: tag, isExtension: true,
                responses: [200: "The document", 404: "No such service", 502: "No instance answered", 503: "No instance is available"]
            )
        )
    }

    /// HTML for a browser; JSON when the `Accept` header prefers it.
    @Sendable func listing(_ request: Request, context: AppRequestContext) throws -> Response {
        let services = self.upstreams.map { upstream in
            ServiceEntry(name: upstream.name, prefixes: upstream.prefixes, openapi: "/docs/\(upstream.name)/openapi.json")
        }
        if request.headers[.accept]?.contains("application/json") == true {
            let body = try JSONEncoder.sortedKeys.encode(Listing(gateway: "/openapi.json", services: services))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: body)))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.html(services))))
    }

    @Sendable func serviceDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("service")
        guard let upstream = self.upstreams.first(where: { $0.name == name }) else {
            throw ServiceError(.notFound, message: "No service named '\(name)'; GET /docs/ lists them.")
        }
        let candidates = upstream.candidates()
        guard !candidates.isEmpty else {
            throw ServiceError(.serviceUnavailable, message: "Upstream \(upstream.name) is unavailable: no healthy instance.")
        }
        var failure = ""
        for instance in candidates {
            do {
                let response = try await upstream.client.execute(HTTPClientRequest(url: instance.baseURL + "/openapi.json"), timeout: .seconds(5))
                guard response.status == .ok else {
                    failure = "answered \(response.status.code)"
                    continue
                }
                let body = try await response.body.collect(upTo: maxDocumentSize)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            } catch {
                failure = "\(error)"
            }
        }
        throw ServiceError(.badGateway, message: "Upstream \(upstream.name) did not give its document: \(failure)")
    }

    private struct ServiceEntry: Encodable {
        let name: String
        let prefixes: [String]
        let openapi: String
    }

    private struct Listing: Encodable {
        let gateway: String
        let services: [ServiceEntry]
    }

    private static func html(_ services: [ServiceEntry]) -> String {
        let rows = services.map { service in
            let prefixes = service.prefixes.map { "<code>\(escape($0))</code>" }.joined(separator: " ")
            return "<tr><td>\(escape(service.name))</td><td>\(prefixes)</td><td><a href=\"\(escape(service.openapi))\">openapi.json</a></td></tr>"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Switchboard API documents</title></head>
            <body>
            <h1>Switchboard API documents</h1>
            <p>Every service behind this gateway, the path prefixes it owns, and its OpenAPI 3.1 document.
            The gateway's own routes are in <a href="/openapi.json">/openapi.json</a>.</p>
            <table>
            <tr><th>service</th><th>prefixes</th><th>document</th></tr>
            \(rows.joined(separator: "\n"))
            </table>
            </body></html>

            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Larger documents than any service's are refused rather than buffered without bound.
private let maxDocumentSize = 16 * 1024 * 1024

extension JSONEncoder {
    fileprivate static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
