import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

/// Field messages, whole-document PUTs, wrong methods and the inputs an attacker tries first, through the real
/// gateway to livechat-config and sinch-cmi.
@Suite("Hostile input: requests")
struct HostileRequestTests {
    @Test("Messages name the field and the expected kind in the vendors' words, never a Swift type (JSON, XML and query)")
    func fieldMessages() async throws {
        try await HostileServices.run { client in
            let liveChat: [(HTTPRequest.Method, String, String, String)] = [
                (.post, "/departments", #"{"name": 5}"#, "Field 'name' must be a string, not a number."),
                (.post, "/departments", #"{"name": "x", "agents": {}}"#, "Field 'agents' must be an array, not an object."),
                (.put, "/agents/1", #"{"maxChatsCount": "x"}"#, "Field 'maxChatsCount' must be an integer, not a string."),
                (.put, "/agents/1", #"{"maxChatsCount": 1.5}"#, "Field 'maxChatsCount' must be an integer."),
                (.put, "/agents/1", #"{"isAcceptAllocation": "yes"}"#, "Field 'isAcceptAllocation' must be true or false, not a string."),
                (.put, "/configs", #"{"isEnableDepartment": 1}"#, "isEnableDepartment"),
                (.put, "/configs", "[]", "must be a JSON object"),
            ]
            for (method, path, body, message) in liveChat {
                let response = try await client.liveChat(method, path, body)
                let error = HostileServices.comm100Error(response)
                #expect(response.status == .badRequest && error?.code == 400_000, "\(path) \(body)")
                #expect(error?.message.contains(message) == true, "\(body): \(error?.message ?? String(buffer: response.body))")
            }
            let visitor = try await client.execute(
                uri: "/api/v1/livechat/visitor/chats", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"siteId": "10000", "campaignId": "x"}"#)
            )
            #expect(
                HostileServices.comm100Error(visitor)?.message.contains("must be an integer, not a string") == true, "\(String(buffer: visitor.body))"
            )

            let cmi: [(String, String, String)] = [
                ("application/json", #"{"callbackMaxCalls": "x"}"#, "Field 'callbackMaxCalls' must be an integer, not a string."),
                ("application/json", "[1]", "The request body must be an object, not an array."),
                ("application/xml", "<settings><callbackMaxCalls>many</callbackMaxCalls></settings>", "Field 'callbackMaxCalls' must be an integer"),
            ]
            for (type, body, message) in cmi {
                let response = try await client.cmi(.put, "/RI/cmi-admin/settings", body, contentType: type)
                #expect(response.status == .badRequest)
                #expect(HostileServices.cmiError(response)?.contains(message) == true, "\(body): \(String(buffer: response.body))")
            }
            let chat = try await client.cmi(
                .post, "/RI/cmi/chats",
                #"{"channel_type": "chat", "channel_sub_type": "x", "originator": "a", "destination": "b", "title": "t", "from_queue": {"id": 5}, "transcript": {"messages": []}}"#
            )
            #expect(HostileServices.cmiError(chat) == "Field 'from_queue.id' must be a string, not a number.")
            let missing = try await client.cmi(
                .post, "/RI/cmi/chats", "<chat><channel_type>chat</channel_type></chat>", contentType: "application/xml")
            #expect(HostileServices.cmiError(missing)?.hasPrefix("Field 'channel_sub_type' is required") == true, "\(String(buffer: missing.body))")
            let usage = try await client.cmi(.post, "/RI/cmi/customerConsents", #"{"address": "a", "usage": "zzz", "consent": true}"#)
            #expect(HostileServices.cmiError(usage) == "Field 'usage' does not allow the value 'zzz'.")

            // Query parameters: numbers too large for an integer and negative ones name the parameter.
            let pageSize = try await client.liveChat(
                .get, "/chats?timeFrom=2024-01-01T00:00:00Z&timeTo=2024-01-02T00:00:00Z&pageSize=99999999999999999999")
            #expect(HostileServices.comm100Error(pageSize)?.message == "Parameter 'pageSize': must be between 1 and 500.")
            #expect(HostileServices.cmiError(try await client.cmi(.get, "/RI/cmi/emails?limit=-1")) == "Invalid value for limit: -1")
            #expect(
                HostileServices.cmiError(try await client.cmi(.get, "/RI/cmi/emails?limit=99999999999999999999"))
                    == "Invalid value for limit: 99999999999999999999")
        }
    }

    @Test("A PUT of {} or with unknown members wipes nothing: CMI settings reject unknown members, Live Chat merges")
    func partialDocuments() async throws {
        try await HostileServices.run { client in
            #expect(
                try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": "+358201234567", "callbackMaxCalls": 7}"#).status
                    == .noContent)
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", "{}").status == .noContent)
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", "<settings/>", contentType: "application/xml").status == .noContent)
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackMaxCalls": null}"#).status == .noContent)
            let unknown = try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackIVRNumber": "1"}"#)
            #expect(
                unknown.status == .badRequest && HostileServices.cmiError(unknown)?.contains("Unknown settings member: callbackIVRNumber") == true)
            let unknownXML = try await client.cmi(.put, "/RI/cmi-admin/settings", "<settings><ivr>1</ivr></settings>", contentType: "application/xml")
            #expect(unknownXML.status == .badRequest)
            #expect(
                String(buffer: try await client.cmi(.get, "/RI/cmi-admin/settings").body)
                    == #"{"callbackIvrNumber":"+358201234567","callbackMaxCalls":7}"#)
            // One member changes one member; an empty number clears it.
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackMaxCalls": 9}"#).status == .noContent)
            #expect(
                String(buffer: try await client.cmi(.get, "/RI/cmi-admin/settings").body)
                    == #"{"callbackIvrNumber":"+358201234567","callbackMaxCalls":9}"#)
            #expect(try await client.cmi(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": ""}"#).status == .noContent)
            #expect(String(buffer: try await client.cmi(.get, "/RI/cmi-admin/settings").body) == #"{"callbackMaxCalls":9}"#)

            // Live Chat: every PUT is a merge patch; `{}` and unknown members leave the document as it was.
            // Compared as parsed objects: some documents are written with their members in no fixed order.
            func document(_ path: String) async throws -> NSDictionary? {
                try JSONSerialization.jsonObject(with: Data(buffer: try await client.liveChat(.get, path).body)) as? NSDictionary
            }
            let campaign = try await client.liveChat(.post, "/campaigns", #"{"name": "Hostile", "language": "English"}"#)
            let id = (try JSONSerialization.jsonObject(with: Data(buffer: campaign.body)) as? [String: Any])?["id"] as? Int
            #expect(id != nil, "\(String(buffer: campaign.body))")
            var paths = ["/configs", "/autoAllocation", "/agents/1", "/visitorSSO"]
            if let id { paths += ["/campaigns/\(id)", "/campaigns/\(id)/chatButton", "/campaigns/\(id)/prechat", "/campaigns/\(id)/routingrules"] }
            for path in paths {
                let before = try await document(path)
                #expect(before != nil, "\(path)")
                for body in ["{}", #"{"noSuchMember": 1, "another": {"deep": true}}"#] {
                    let put = try await client.liveChat(.put, path, body)
                    #expect(put.status == .ok, "\(path) \(body): \(String(buffer: put.body))")
                    #expect(try await document(path) == before, "\(path) after \(body)")
                }
            }
        }
    }

    @Test("A method a path does not serve is a 405 with Allow in the vendor's shape; an unknown path stays 404")
    func methodNotAllowed() async throws {
        try await HostileServices.run { client in
            for (method, path, allow) in [
                (HTTPRequest.Method.patch, "/campaigns", "GET, POST"), (.delete, "/configs", "GET, PUT"), (.post, "/agents/1", "GET, PUT"),
            ] {
                let response = try await client.liveChat(method, path)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(path)")
                #expect(HostileServices.comm100Error(response)?.code == 405_000)
            }
            // Public routes, without a credential.
            let visitor = try await client.execute(uri: "/api/v1/livechat/visitor/chats", method: .get)
            #expect(visitor.status == .methodNotAllowed && visitor.headers[.allow] == "POST")
            let token = try await client.execute(uri: "/oauth/token", method: .get)
            #expect(token.status == .methodNotAllowed && token.headers[.allow] == "POST")
            #expect(HostileServices.comm100Error(token)?.message.contains("GET") == true)

            let emails = try await client.cmi(.delete, "/RI/cmi/emails")
            #expect(emails.status == .methodNotAllowed && emails.headers[.allow] == "GET")
            #expect(HostileServices.cmiError(emails) == "HTTP 405 Method Not Allowed")
            let consent = try await client.cmi(.post, "/RI/cmi/customerConsents/recording_123")
            #expect(consent.status == .methodNotAllowed && consent.headers[.allow] == "DELETE, GET")
            let settings = try await client.cmi(.post, "/RI/cmi-admin/settings", "{}")
            #expect(settings.status == .methodNotAllowed && settings.headers[.allow] == "GET, PUT")

            #expect(try await client.liveChat(.get, "/nothingHere").status == .notFound)
            #expect(HostileServices.cmiError(try await client.cmi(.get, "/RI/cmi/nothingHere")) == "HTTP 404 Not Found")
        }
    }

    @Test("What an attacker tries first answers 4xx and leaves both services up (each of these was a crash or a 500)")
    func attackerInputs() async throws {
        try await HostileServices.run { client in
            // sinch-cmi: an Accept header of empty media ranges, a sort of only a comma, NUL in the query or path.
            #expect(try await client.cmi(.get, "/RI/cmi/emails", accept: ";").status == .notAcceptable)
            #expect(try await client.cmi(.get, "/RI/cmi/emails", accept: ",,;q=1, application/json").status == .ok)
            #expect(HostileServices.cmiError(try await client.cmi(.get, "/RI/cmi/contacts?sort=,")) == "Invalid value for sort: ,")
            for path in ["/RI/cmi/contacts?search=%00", "/RI/cmi/callbacks?customerNumber=a%00"] {
                let response = try await client.cmi(.get, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(HostileServices.cmiError(response)?.contains("NUL") == true)
            }
            // In the path the gateway refuses the NUL itself (its own 400); the service would too.
            #expect(try await client.cmi(.get, "/RI/cmi/customerConsents/recording_a%00b").status == .badRequest)
            #expect(try await client.cmi(.get, "/RI/cmi/customerConsents/recording_a%2500b").status == .notFound)
            let remarks = try await client.cmi(
                .put, "/RI/cmi/contacts/11111111111111111111111111111111/remarks", bytes: [0x61, 0x00], contentType: "text/plain")
            #expect(remarks.status == .badRequest || remarks.status == .notFound)
            #expect(try await client.cmi(.get, "/RI/cmi/emails/%FF%FE").status == .badRequest)
            #expect(try await client.cmi(.get, "/RI/cmi/contacts?search=%FF&limit=9223372036854775807").status == .ok)

            // livechat-config: a condition index at Int.max (its number overflowed), NUL in a body, a dotted name
            // nesting a thousand levels, twenty thousand members.
            let condition = try await client.liveChat(
                .get, "/chats?timeFrom=2024-01-01T00:00:00Z&timeTo=2024-01-02T00:00:00Z&conditions%5B9223372036854775807%5D%5Bfield%5D=agent"
            )
            #expect(condition.status == .badRequest && HostileServices.comm100Error(condition)?.message.contains("condition index") == true)
            #expect(try await client.liveChat(.post, "/departments", #"{"name": "a\u0000"}"#).status == .badRequest)
            let dotted = String(repeating: "a.", count: 999) + "a"
            let deep = try await client.liveChat(.put, "/configs", #"{"\#(dotted)": 1}"#)
            #expect(deep.status == .badRequest && HostileServices.comm100Error(deep)?.message.contains("nests more than 64") == true)
            let members = "{" + (0..<4000).map { #""k\#($0).x": 1"# }.joined(separator: ",") + "}"
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await client.liveChat(.put, "/configs", members).status == .ok)
            #expect(clock.now - started < .seconds(5))
            #expect(try await client.liveChat(.get, "/campaigns/99999999999999999999999").status == .notFound)
            #expect(try await client.liveChat(.get, "/campaigns/-1").status == .notFound)
            #expect(try await client.liveChat(.get, "/campaigns?siteId=10000&siteId=20000").status == .ok)
            #expect(try await client.liveChat(.put, "/configs", "a=b", contentType: "application/x-www-form-urlencoded").status == .badRequest)
            #expect(try await client.liveChat(.post, "/departments", nil).status == .badRequest)

            // Both still answer.
            #expect(try await client.cmi(.get, "/RI/cmi/emails").status == .ok)
            #expect(try await client.liveChat(.get, "/configs").status == .ok)
        }
    }
}
