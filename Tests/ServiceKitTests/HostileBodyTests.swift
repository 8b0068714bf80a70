import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import Testing

/// The pieces of ServiceKit that turn hostile requests into 400, 405 and 413: body checks, decoding messages in
/// the vendors' words, and the route table behind 405.
@Suite("Hostile input: ServiceKit")
struct HostileBodyTests {
    struct Sample: Decodable {
        var count: Int
        var name: String?
        var flags: [Bool]?
        var nested: Nested?
        struct Nested: Decodable { var id: Int }
    }

    func problem(_ json: String) -> ServiceError? {
        do {
            _ = try JSONBody.decode(Sample.self, from: ByteBuffer(string: json))
            return nil
        } catch {
            return error as? ServiceError
        }
    }

    @Test("Wrong kinds are named with the field path and the expected kind, never a Swift type")
    func kinds() {
        #expect(self.problem(#"{"count": "x"}"#)?.message == "Field 'count' must be an integer, not a string.")
        #expect(self.problem(#"{"count": 1, "name": 5}"#)?.message == "Field 'name' must be a string, not a number.")
        #expect(self.problem(#"{"count": 1, "flags": [true, "no"]}"#)?.message == "Field 'flags[1]' must be true or false, not a string.")
        #expect(self.problem(#"{"count": 1, "flags": {}}"#)?.message == "Field 'flags' must be an array, not an object.")
        #expect(self.problem(#"{"count": 1, "nested": []}"#)?.message == "Field 'nested' must be an object, not an array.")
        #expect(self.problem(#"{"count": 1, "nested": {}}"#)?.message == "Field 'nested.id' is required.")
        #expect(self.problem(#"{"count": null}"#)?.message == "Field 'count' must be an integer, not null.")
        #expect(self.problem("[]")?.message == "The request body must be an object, not an array.")
    }

    @Test("A number that fits no integer names its field; malformed JSON says where it stopped")
    func numbers() {
        #expect(self.problem(#"{"count": 1.5}"#)?.message == "Field 'count' must be an integer.")
        #expect(self.problem(#"{"count": 1, "nested": {"id": 1e30}}"#)?.message == "Field 'nested.id' must be an integer.")
        #expect(self.problem(#"{"count": 1e400}"#)?.message.hasPrefix("The request body is not valid JSON") == true)
        #expect(self.problem(#"{"count": "#)?.message.hasPrefix("The request body is not valid JSON") == true)
    }

    @Test("Empty bodies, invalid UTF-8, raw control characters, \\u0000 and deep nesting are refused before decoding")
    func checks() {
        #expect(self.problem("")?.message.contains("empty") == true)
        #expect(throws: ServiceError.self) { try JSONBody.check(ByteBuffer(bytes: Array(#"{"a": ""#.utf8) + [0xC3] + Array(#""}"#.utf8))) }
        #expect(self.problem("{\"count\": 1, \"name\": \"a\u{7}\"}")?.message.contains("control character") == true)
        #expect(self.problem(#"{"count": 1, "name": "a\u0000"}"#)?.message.contains("NUL") == true)
        // An escaped backslash before `u0000` is text, not a NUL.
        #expect(self.problem(#"{"count": 1, "name": "a\\u0000"}"#) == nil)
        #expect(self.problem(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))?.message.contains("64") == true)
        // Brackets inside strings do not count as nesting.
        #expect(self.problem(#"{"count": 1, "name": "\#(String(repeating: "[", count: 100))"}"#) == nil)
    }

    @Test("A trailing comma in an object or an array is a 400 (Foundation's parser takes it); a comma inside a string is text")
    func trailingCommas() {
        for json in [#"{"count": 1,}"#, "{\"count\": 1 ,\n\t}", #"{"count": 1, "flags": [true,]}"#, #"{"count": 1, "nested": {"id": 2,},}"#] {
            #expect(self.problem(json)?.message.hasPrefix("The request body is not valid JSON: a trailing comma before") == true, "\(json)")
            #expect(self.problem(json)?.status == .badRequest)
        }
        #expect(self.problem(#"{"count": 1, "name": ",}"}"#) == nil)
        #expect(self.problem(#"{"count": 1, "name": "a\",]", "flags": []}"#) == nil)
        #expect(self.problem(#"{"count": 1, "flags": [true, false]}"#) == nil)
    }

    @Test("The route table knows which methods a path serves, captures and wildcards included")
    func routeTable() {
        let router = ServiceRouter<AppRequestContext>()
        router.get("/items", use: { _, _ in "" })
        router.post("/items", use: { _, _ in "" })
        router.put("/items/:id", use: { _, _ in "" })
        router.delete("/items/:id", use: { _, _ in "" })
        router.get("/files/**", use: { _, _ in "" })
        #expect(router.table.methods(servedAt: "/items") == [.get, .post])
        #expect(router.table.methods(servedAt: "/items/") == [.get, .post])
        #expect(router.table.methods(servedAt: "/items/42") == [.delete, .put])
        #expect(router.table.methods(servedAt: "/files/a/b") == [.get])
        #expect(router.table.methods(servedAt: "/items/42/more").isEmpty)
        #expect(router.table.methods(servedAt: "/nothing").isEmpty)
    }
}
