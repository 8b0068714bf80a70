import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot canned responses, custom attributes and custom filters")
struct AccountResourceTests {
    @Test("Canned responses: create, list, search by short code first, update, delete; blanks and taken codes 422; agents too; another account's 404")
    func cannedResponses() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let path = "/api/v1/accounts/1/canned_responses"
            let welcome = try await client.chatwoot(.post, path, json: #"{"short_code": "welcome", "content": "Hello {{contact.name}}"}"#)
            #expect(welcome.status == .ok)
            let id = try #require(welcome.object["id"] as? Int)
            #expect(welcome.object["account_id"] as? Int == 1)
            #expect((welcome.object["created_at"] as? String)?.hasSuffix("Z") == true)
            // Chatwoot's dashboard wraps the body; an agent may add one too.
            let agent = try await client.chatwootUser("Canned Agent")
            let refund = try await client.chatwoot(
                .post, path, token: agent.token, json: #"{"canned_response": {"short_code": "refund", "content": "We will refund. Welcome back!"}}"#)
            #expect(refund.status == .ok)
            #expect(try await client.chatwoot(.post, path, json: #"{"short_code": "xwelcomex", "content": "Other"}"#).status == .ok)

            #expect(try await client.chatwoot(.get, path).array.map { $0["short_code"] as? String } == ["welcome", "refund", "xwelcomex"])
            // A short code starting with the text ranks first, one containing it next, content last; any case.
            let found = try await client.chatwoot(.get, path + "?search=WELCOME", token: agent.token)
            #expect(found.array.map { $0["short_code"] as? String } == ["welcome", "xwelcomex", "refund"])
            #expect(try await client.chatwoot(.get, path + "?search=100%25").array.isEmpty)

            let updated = try await client.chatwoot(.patch, "\(path)/\(id)", json: #"{"content": "Hi there"}"#)
            #expect(updated.status == .ok)
            #expect(updated.object["content"] as? String == "Hi there" && updated.object["short_code"] as? String == "welcome")

            for (body, field) in [
                (#"{"short_code": "x"}"#, "content"), (#"{"content": "x"}"#, "short_code"),
                (#"{"short_code": "refund", "content": "x"}"#, "short_code"),
            ] {
                let refused = try await client.chatwoot(.post, path, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await client.chatwoot(.post, path, json: #"{"short_code": 5, "content": "x"}"#).status == .badRequest)
            #expect(try await client.chatwoot(.patch, "\(path)/\(id)", json: #"{"content": ""}"#).status == .unprocessableContent)

            // Another account: its canned responses are out of reach.
            let other = try await client.chatwootAccount("Other")
            let outsider = try await client.chatwootUser("Other Admin", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, path, token: outsider.token).status == .unauthorized)
            #expect(
                try await client.chatwoot(.patch, "/api/v1/accounts/\(other)/canned_responses/\(id)", token: outsider.token, json: "{}").status
                    == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/canned_responses", token: outsider.token).array.isEmpty)

            #expect(try await client.chatwoot(.delete, "\(path)/\(id)", token: agent.token).status == .ok)
            #expect(try await client.chatwoot(.delete, "\(path)/\(id)").status == .notFound)
            #expect(try await client.chatwoot(.get, path).array.count == 2)
        }
    }

    /// Checks a definition against the swagger's `custom_attribute`, but for `attribute_values`, which Chatwoot sends as
    /// the list's options (an array) where the swagger says string (decision 353).
    static func definition(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        var object = response.object
        #expect(object["attribute_values"] is [Any], sourceLocation: sourceLocation)
        object["attribute_values"] = nil
        let data = try JSONSerialization.data(withJSONObject: object)
        for violation in ChatwootSwagger.violations("GET", "/api/v1/accounts/1/custom_attribute_definitions/1", status: 200, body: data) {
            Issue.record(Comment(rawValue: violation), sourceLocation: sourceLocation)
        }
        return response.object
    }

    /// The API without the client's swagger check (custom attribute answers are checked by ``definition(_:sourceLocation:)``).
    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String = TestConfiguration.bootstrapKey,
        json: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.apiAccessToken: token]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    @Test("Custom attributes: enums by number or name, list by model, get, update, delete (204); bad key, standard key, taken key, unknown enum 422")
    func customAttributes() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let path = "/api/v1/accounts/1/custom_attribute_definitions"
            let plan = try await Self.call(
                client, .post, path,
                json:
                    #"{"attribute_display_name": " Plan ", "attribute_display_type": 6, "attribute_key": "plan", "attribute_model": 1, "attribute_values": ["free", "pro"]}"#
            )
            #expect(plan.status == .ok)
            let created = try Self.definition(plan)
            let id = try #require(created["id"] as? Int)
            #expect(created["attribute_display_name"] as? String == "Plan")
            #expect(created["attribute_display_type"] as? String == "list" && created["attribute_model"] as? String == "contact_attribute")
            #expect(created["attribute_values"] as? [String] == ["free", "pro"])
            let order = try await Self.call(
                client, .post, path,
                json:
                    #"{"custom_attribute_definition": {"attribute_display_name": "Order", "attribute_display_type": "number", "attribute_key": "order_id"}}"#
            )
            #expect(order.status == .ok)
            #expect(try Self.definition(order)["attribute_model"] as? String == "conversation_attribute")
            // The same key in another model is allowed.
            #expect(
                try await Self.call(
                    client, .post, path,
                    json: #"{"attribute_display_name": "Plan", "attribute_display_type": 0, "attribute_key": "plan", "attribute_model": 0}"#
                ).status == .ok)

            let contacts = try await Self.call(client, .get, path + "?attribute_model=contact_attribute")
            #expect(
                (try JSONSerialization.jsonObject(with: Data(buffer: contacts.body)) as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [id])
            let all = try await Self.call(client, .get, path)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: all.body)) as? [Any])?.count == 3)
            #expect(try Self.definition(try await Self.call(client, .get, "\(path)/\(id)"))["attribute_key"] as? String == "plan")

            let updated = try await Self.call(
                client, .patch, "\(path)/\(id)", json: #"{"attribute_values": ["free", "pro", "enterprise"], "regex_cue": "Pick one"}"#)
            #expect(updated.status == .ok)
            let changed = try Self.definition(updated)
            #expect((changed["attribute_values"] as? [String])?.count == 3 && changed["regex_cue"] as? String == "Pick one")

            for (body, field) in [
                (#"{"attribute_display_type": 0, "attribute_key": "x"}"#, "attribute_display_name"),
                (#"{"attribute_display_name": "X", "attribute_key": "has space"}"#, "attribute_key"),
                (#"{"attribute_display_name": "X", "attribute_key": "email", "attribute_model": 1}"#, "attribute_key"),
                (#"{"attribute_display_name": "X", "attribute_key": "plan", "attribute_model": "contact_attribute"}"#, "attribute_key"),
                (#"{"attribute_display_name": "X", "attribute_key": "y", "attribute_display_type": 12}"#, "attribute_display_type"),
                (#"{"attribute_display_name": "X", "attribute_key": "y", "attribute_model": "deal_attribute"}"#, "attribute_model"),
            ] {
                let refused = try await Self.call(client, .post, path, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(
                try await Self.call(client, .post, path, json: #"{"attribute_display_name": "X", "attribute_key": "y", "attribute_model": []}"#)
                    .status == .badRequest)
            #expect(
                try await Self.call(client, .post, path, json: #"{"attribute_display_name": "X", "attribute_key": "y", "attribute_values": "a"}"#)
                    .status == .badRequest)

            let other = try await client.chatwootAccount("Other")
            let outsider = try await client.chatwootUser("Attr Outsider", account: other, role: "administrator")
            #expect(
                try await Self.call(client, .get, "/api/v1/accounts/\(other)/custom_attribute_definitions/\(id)", token: outsider.token).status
                    == .notFound)
            #expect(try await Self.call(client, .get, path, token: outsider.token).status == .unauthorized)

            #expect(try await Self.call(client, .delete, "\(path)/\(id)").status == .noContent)
            #expect(try await Self.call(client, .get, "\(path)/\(id)").status == .notFound)
        }
    }

    @Test("Custom filters: each user's own by filter_type; create, get, update, delete (204); blank name, bad type, bad query 422")
    func customFilters() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let path = "/api/v1/accounts/1/custom_filters"
            let query = #"{"payload": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}]}"#
            let open = try await client.chatwoot(.post, path, json: #"{"name": "Open", "filter_type": "conversation", "query": \#(query)}"#)
            #expect(open.status == .ok)
            let id = try #require(open.object["id"] as? Int)
            #expect(open.object["filter_type"] as? String == "conversation")
            #expect(((open.object["query"] as? [String: Any])?["payload"] as? [Any])?.count == 1)
            let leads = try await client.chatwoot(
                .post, path, json: #"{"custom_filter": {"name": "Leads", "type": "contact", "query": {"payload": []}}}"#)
            #expect(leads.status == .ok)
            #expect(leads.object["filter_type"] as? String == "contact")

            #expect(try await client.chatwoot(.get, path).array.compactMap { $0["id"] as? Int } == [id])
            #expect(try await client.chatwoot(.get, path + "?filter_type=contact").array.compactMap { $0["name"] as? String } == ["Leads"])
            #expect(try await client.chatwoot(.get, path + "?filter_type=nope").array.isEmpty)
            #expect(try await client.chatwoot(.get, "\(path)/\(id)").object["name"] as? String == "Open")

            // Another member sees none of them, and cannot reach them.
            let agent = try await client.chatwootUser("Filter Agent")
            #expect(try await client.chatwoot(.get, path, token: agent.token).array.isEmpty)
            #expect(try await client.chatwoot(.get, "\(path)/\(id)", token: agent.token).status == .notFound)
            #expect(try await client.chatwoot(.delete, "\(path)/\(id)", token: agent.token).status == .notFound)
            #expect(try await client.chatwoot(.post, path, token: agent.token, json: #"{"name": "Mine", "query": {}}"#).status == .ok)

            let renamed = try await client.chatwoot(.patch, "\(path)/\(id)", json: #"{"name": "Open ones"}"#)
            #expect(renamed.status == .ok)
            #expect(renamed.object["name"] as? String == "Open ones" && renamed.object["filter_type"] as? String == "conversation")

            for (body, field) in [
                (#"{"query": {}}"#, "name"), (#"{"name": "X", "filter_type": "deal", "query": {}}"#, "filter_type"), (#"{"name": "X"}"#, "query"),
                (#"{"name": "X", "query": {"payload": "status"}}"#, "query.payload"), (#"{"name": "X", "query": [1]}"#, "query"),
            ] {
                let refused = try await client.chatwoot(.post, path, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await client.chatwoot(.post, path, json: #"{"name": ["X"], "query": {}}"#).status == .badRequest)

            #expect(try await client.chatwoot(.delete, "\(path)/\(id)").status == .noContent)
            #expect(try await client.chatwoot(.get, "\(path)/\(id)").status == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/999/custom_filters").status == .notFound)
        }
    }
}
