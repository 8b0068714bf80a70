import Foundation
import ServiceKit
import Testing
import WireModels

@testable import LiveChatConfig

/// Dotted member names expand as before, in one pass and within a depth limit.
@Suite("Dotted member names")
struct DottedKeysTests {
    func value(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    @Test("The one-pass expansion gives what the merge-per-member expansion gave")
    func sameAsBefore() throws {
        for json in [
            #"{"image.position.type": "topLeft", "image": {"type": "custom", "position": {"x": 1}}, "a": null, "b.c": null}"#,
            #"{"a": 1, "a.b": 2}"#, #"{"a.b": 2, "a": {"c": 3, "d": null}}"#, #"{"list": [{"x.y": 1}, null, 2]}"#, #"{"": 1, "a..b": 2}"#,
        ] {
            let body = try self.value(json)
            #expect(try body.expandedDottedKeys() == body.expandingDottedKeys(), "\(json)")
        }
    }

    @Test("A dotted name deeper than the limit is a 400, and twenty thousand members expand at once")
    func bounded() throws {
        let deep = try self.value(#"{"\#(String(repeating: "a.", count: 70))a": 1}"#)
        #expect(throws: ServiceError.self) { try deep.expandedDottedKeys() }
        let wide = try self.value("{" + (0..<20_000).map { #""k\#($0).v": \#($0)"# }.joined(separator: ",") + "}")
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try wide.expandedDottedKeys().object?.count == 20_000)
        #expect(clock.now - started < .seconds(3))
    }
}
