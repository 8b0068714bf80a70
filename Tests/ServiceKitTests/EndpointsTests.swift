import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Prometheus
import Testing
import WireModels

@testable import ServiceKit

@Suite("Endpoints declared once")
struct EndpointsTests {
    struct Note: Codable, Sendable, Equatable, ResponseEncodable {
        var id: Int
        var text: String
        var tags: [String]?
    }

    /// Encodes a member its decoding (and so its schema) does not have: the drift the check exists for.
    struct Loose: Codable, Sendable, ResponseEncodable {
        var id: Int
        enum CodingKeys: String, CodingKey { case id, extra }

        init(id: Int) { self.id = id }

        init(from decoder: any Decoder) throws {
            self.id = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .id)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            try container.encode(true, forKey: .extra)
        }
    }

    struct NewNote: Decodable {
        var text: String
    }

    /// A service router with one group of endpoints; `drift` makes the list answer a member its type does not have.
    static func app(checking: Bool, drift: Bool = false) -> (some ApplicationProtocol, OpenAPIDocument) {
        let document = OpenAPIDocument(title: "t", securitySchemes: ["basicAuth": SecuritySchemes.basic], checksResponses: checking)
        let router = ServiceRouter<AppRequestContext>.service(
            dialect: Comm100ErrorDialect(), registry: PrometheusCollectorRegistry(), document: document, readiness: [], accessLog: false
        )
        let api = router.endpoints("/api/v1/notes", tag: "Notes", security: ["basicAuth"], errors: [401: "Unauthorized"], document: document)
        api.get("", "List notes", returns: [Note].self) { _, _ in [Note(id: 1, text: "a", tags: nil)] }
        api.get("/{id}", "Get a note", returns: Note.self) { _, context in
            guard let id = context.parameters.get("id", as: Int.self) else { throw ServiceError.notFound("Note") }
            return Note(id: id, text: "n", tags: ["x"])
        }
        api.post("", "Create a note", body: NewNote.self, returns: Note.self, status: .created) { _, _, new in Note(id: 2, text: new.text) }
        api.raw(.get, "/{id}/text", "A note as text", responses: [200: "The text"]) { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "n")))
        }
        if drift {
            router.endpoints("/api/v1/drifting", tag: "Notes", document: document).get("", "Writes more than it documents", returns: Loose.self) {
                _, _ in Loose(id: 1)
            }
        }
        return (Application(router: router), document)
    }

    @Test("One declaration registers the route and documents it with request and response schemas and the group's security")
    func documents() async throws {
        let (app, document) = Self.app(checking: true)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/notes/7", method: .get)
            #expect(response.status == .ok)
            #expect(try JSONDecoder().decode(Note.self, from: Data(buffer: response.body)) == Note(id: 7, text: "n", tags: ["x"]))
            let created = try await client.execute(
                uri: "/api/v1/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"text":"hi"}"#))
            #expect(created.status == .created)
            let missing = try await client.execute(
                uri: "/api/v1/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{}"#))
            #expect(missing.status == .badRequest)
            #expect(String(buffer: missing.body).contains("text"))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: document.json()) as? [String: Any])
        let paths = try #require(json["paths"] as? [String: [String: Any]])
        let get = try #require(paths["/api/v1/notes/{id}"]?["get"] as? [String: Any])
        let ok = try #require((get["responses"] as? [String: Any])?["200"] as? [String: Any])
        let schema = (((ok["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
        #expect(schema?["$ref"] as? String == "#/components/schemas/EndpointsTests.Note")
        #expect((get["responses"] as? [String: Any])?["401"] != nil)
        #expect((get["security"] as? [[String: [String]]]) == [["basicAuth": []]])
        let post = try #require(paths["/api/v1/notes"]?["post"] as? [String: Any])
        #expect((post["responses"] as? [String: Any])?["201"] != nil)
        #expect(post["requestBody"] != nil)
        let components = try #require((json["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        #expect(components["EndpointsTests.Note"]?["required"] as? [String] == ["id", "text"])
        #expect(paths["/api/v1/notes/{id}/text"]?["get"] != nil)
    }

    @Test("With the check on, an answer outside its declared schema fails loudly; with it off, it passes through")
    func checksAnswers() async throws {
        let (checked, document) = Self.app(checking: true, drift: true)
        try await checked.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/drifting", method: .get)
            #expect(response.status == .internalServerError)
            let list = try await client.execute(uri: "/api/v1/notes", method: .get)
            #expect(list.status == .ok)
        }
        let wrongType = document.violations(of: Data(#"{"id":"1"}"#.utf8), answering: RouteKey(.get, "/api/v1/drifting"))
        #expect(wrongType == ["$.id: expected integer, got string '1'"])
        let (unchecked, _) = Self.app(checking: false, drift: true)
        try await unchecked.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/drifting", method: .get)
            #expect(response.status == .ok)
        }
    }
}
