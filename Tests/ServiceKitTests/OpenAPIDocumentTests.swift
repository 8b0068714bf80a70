import Hummingbird
import Testing

@testable import ServiceKit

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("Routes added through groups are recorded in OpenAPI form")
    func recordsRoutes() {
        let router = ServiceRouter<AppRequestContext>()
        router.group("/api/v1").get("/agents/:id") { _, _ in "" }
        router.post("/things") { _, _ in "" }
        #expect(router.routes == [RouteKey(.get, "/api/v1/agents/{id}"), RouteKey(.post, "/things")])
    }

    @Test("A served route without a description, or a description without a route, fails the check")
    func bothWays() throws {
        let router = ServiceRouter<AppRequestContext>()
        router.get("/a") { _, _ in "" }
        let document = OpenAPIDocument(title: "t")
        #expect(throws: OpenAPIMismatch.self) { try document.verify(against: router.routes) }
        document.describe(.get, "/a", .init("A", tag: "t"))
        try document.verify(against: router.routes)
        document.describe(.get, "/b", .init("B", tag: "t"))
        #expect(throws: OpenAPIMismatch.self) { try document.verify(against: router.routes) }
    }
}
