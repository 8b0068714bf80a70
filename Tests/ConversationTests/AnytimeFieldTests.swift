import Foundation
import HTTPTypes
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: fields, mapping and conversations' custom field values")
struct AnytimeFieldTests {
    static let region =
        #"{"type": "dropdownList", "name": "Region", "defaultValue": "emea", "options": [{"value": "emea", "name": "Europe"}, {"value": "apac"}]}"#

    @Test("System fields are listed first and filtered by isSystemField; a custom field is created, read, updated (options keep ids), deleted")
    func lifecycle() async throws {
        try await AnytimeTestClient.run { api in
            let system = try await api.get("/fields?isSystemField=true").decode([AnytimeField].self)
            #expect(system.count == 15 && system.allSatisfy(\.isSystemField) && system.first?.id == "subject" && system.first?.isRequired == true)
            #expect(system.first { $0.id == "status" }?.options.map(\.value) == ["new", "pendingInternal", "pendingExternal", "onHold", "closed"])
            let reply = try await api.post("/fields", Self.region)
            #expect(reply.status == .created, "\(reply.text)")
            let region = try reply.decode(AnytimeField.self)
            #expect(region.type == .dropdownList && !region.isSystemField && !region.isRequired && region.defaultValue == "emea")
            #expect(region.options.map(\.name) == ["Europe", "apac"] && region.options.map(\.orderNum) == [1, 2])
            #expect(try await api.get("/fields/\(region.id)").decode(AnytimeField.self) == region)
            #expect(try await api.get("/fields?isSystemField=false").decode([AnytimeField].self) == [region])
            #expect(try await api.get("/fields").decode([AnytimeField].self).last == region)
            let emea = region.options[0]
            let updated = try await api.put(
                "/fields/\(region.id)",
                #"{"name": "Sales region", "isRequired": true, "options": [{"id": "\#(emea.id)", "value": "emea", "orderNum": 2}, {"value": "amer", "orderNum": 1}]}"#
            )
            #expect(updated.status == .ok, "\(updated.text)")
            let changed = try updated.decode(AnytimeField.self)
            #expect(changed.name == "Sales region" && changed.isRequired && changed.defaultValue == "emea" && changed.helpText == nil)
            #expect(changed.options.map(\.value) == ["amer", "emea"] && changed.options.last?.id == emea.id)
            let typed = try await api.put("/fields/\(region.id)", #"{"type": "text"}"#)
            #expect(typed.status == .badRequest && typed.message.contains("type"), "\(typed.text)")
            // The default must stay one of the options.
            let dropped = try await api.put("/fields/\(region.id)", #"{"options": [{"value": "amer"}]}"#)
            #expect(dropped.status == .badRequest && dropped.message.contains("defaultValue"), "\(dropped.text)")
            #expect(try await api.delete("/fields/\(region.id)").status == .noContent)
            #expect(try await api.get("/fields/\(region.id)").status == .notFound)
            #expect(try await api.delete("/fields/\(region.id)").status == .notFound)
        }
    }

    @Test("A system field takes only helpText (403 otherwise) and cannot be deleted (403)")
    func systemFields() async throws {
        try await AnytimeTestClient.run { api in
            let help = try await api.put("/fields/priority", #"{"helpText": "How soon"}"#)
            #expect(help.status == .ok, "\(help.text)")
            #expect(try help.decode(AnytimeField.self).helpText == "How soon")
            #expect(try await api.get("/fields/priority").decode(AnytimeField.self).helpText == "How soon")
            #expect(try await api.get("/fields?isSystemField=true").decode([AnytimeField].self).count == 15)
            for body in [#"{"name": "Urgency"}"#, #"{"isRequired": true}"#, #"{"options": [{"value": "x"}]}"#, #"{"length": 5}"#] {
                #expect(try await api.put("/fields/priority", body).status == .forbidden, "\(body)")
            }
            let delete = try await api.delete("/fields/subject")
            #expect(delete.status == .forbidden && delete.object["code"] != nil, "\(delete.text)")
            #expect(try await api.get("/fields/nope").status == .notFound)
        }
    }

    @Test("Bad field input is a 400 naming the member: missing, wrong type, unknown enum, oversize, options, length, defaultValue; names 409")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            let cases: [(String, String)] = [
                (#"{"name": "a"}"#, "type"), (#"{"type": "hologram", "name": "a"}"#, "type"), (#"{"type": "text"}"#, "name"),
                (#"{"type": "text", "name": 5}"#, "name"), (#"{"type": "text", "name": "\#(String(repeating: "n", count: 257))"}"#, "name"),
                (#"{"type": "radio", "name": "a"}"#, "options"), (#"{"type": "text", "name": "a", "options": [{"value": "x"}]}"#, "options"),
                (#"{"type": "radio", "name": "a", "options": [{"value": "x"}, {"value": "X"}]}"#, "options[1].value"),
                (#"{"type": "checkboxList", "name": "a", "options": [{"value": "x,y"}]}"#, "options[0].value"),
                (#"{"type": "radio", "name": "a", "options": [{"name": "x"}]}"#, "options[0].value"),
                (#"{"type": "text", "name": "a", "length": 0}"#, "length"), (#"{"type": "text", "name": "a", "length": "ten"}"#, "length"),
                (#"{"type": "integer", "name": "a", "defaultValue": "ten"}"#, "defaultValue"),
                (#"{"type": "text", "name": "a", "length": 3, "defaultValue": "four"}"#, "defaultValue"),
                (#"{"type": "email", "name": "a", "defaultValue": "not-mail"}"#, "defaultValue"),
                (#"{"type": "text", "name": "a", "isRequired": "yes"}"#, "isRequired"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/fields", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            #expect(try await api.get("/fields?isSystemField=maybe").message.contains("isSystemField"))
            #expect(try await api.post("/fields", #"{"type": "text", "name": "Notes"}"#).status == .created)
            for name in ["NOTES", "subject"] {
                let taken = try await api.post("/fields", #"{"type": "textarea", "name": "\#(name)"}"#)
                #expect(taken.status == .conflict && taken.message.lowercased().contains(name.lowercased()), "\(taken.text)")
            }
            #expect(try await api.get("/fields?isSystemField=false").decode([AnytimeField].self).count == 1)
        }
    }

    @Test("Conversations carry custom field values: checked against the field, defaults applied, required enforced, 400 naming the member")
    func conversationValues() async throws {
        try await AnytimeTestClient.run { api in
            let region = try await api.post("/fields", Self.region).decode(AnytimeField.self)
            let order = try await api.post("/fields", #"{"type": "integer", "name": "Order", "isRequired": true}"#).decode(AnytimeField.self)
            let tags = try await api.post(
                "/fields", #"{"type": "checkboxList", "name": "Topics", "options": [{"value": "billing"}, {"value": "shipping"}]}"#
            ).decode(AnytimeField.self)
            let message = #""message": {"channelId": "email", "contents": [{"type": "text", "text": "x"}]}"#
            let cases: [(String, String)] = [
                (#"[]"#, "customFields"), (#"[{"id": "\#(order.id)", "value": "forty"}]"#, "customFields[0].value"),
                (#"[{"id": "\#(order.id)", "value": ""}]"#, "customFields[0].value"),
                (#"[{"id": "\#(order.id)", "value": "1"}, {"id": "nope", "value": "1"}]"#, "customFields[1].id"),
                (#"[{"id": "\#(order.id)", "value": "1"}, {"id": "subject", "value": "1"}]"#, "customFields[1].id"),
                (#"[{"id": "\#(order.id)", "value": "1"}, {"id": "\#(region.id)", "value": "mars"}]"#, "customFields[1].value"),
                (#"[{"id": "\#(order.id)", "value": "1"}, {"id": "\#(tags.id)", "value": "billing,fun"}]"#, "customFields[1].value"),
                (#"[{"id": "\#(order.id)", "value": 1}]"#, "customFields"), (#"[{"value": "1"}]"#, "customFields[0].id"),
                (#"[{"id": "\#(order.id)", "value": "1"}, {"id": "\#(order.id)", "value": "2"}]"#, "customFields[1].id"),
            ]
            for (values, member) in cases {
                let reply = try await api.post("/conversations", #"{"subject": "a", "customFields": \#(values), \#(message)}"#)
                #expect(reply.status == .badRequest && reply.message.contains(member), "\(member): \(reply.status) \(reply.text)")
            }
            #expect(try await api.get("/conversations").decode(AnytimeConversationPage.self).total == 0)
            let made = try await api.create(
                extra: #""customFields": [{"id": "\#(order.id)", "value": "+42"}, {"id": "\#(tags.id)", "value": "shipping, BILLING"}],"#)
            #expect(
                made.customFields == [
                    AnytimeCustomFieldValue(id: region.id, name: "Region", value: "emea"),
                    AnytimeCustomFieldValue(id: order.id, name: "Order", value: "42"),
                    AnytimeCustomFieldValue(id: tags.id, name: "Topics", value: "billing,shipping"),
                ])
            api.clock.advance(by: 60)
            let put = try await api.put(
                "/conversations/\(made.id)", #"{"customFields": [{"id": "\#(region.id)", "value": "APAC"}, {"id": "\#(tags.id)", "value": ""}]}"#)
            #expect(put.status == .ok, "\(put.text)")
            let changed = try put.decode(AnytimeConversation.self)
            #expect(changed.customFields.map(\.value) == ["apac", "42"] && changed.lastActivityTime == "2027-01-15T08:01:00.000Z")
            let blank = try await api.put("/conversations/\(made.id)", #"{"customFields": [{"id": "\#(order.id)", "value": " "}]}"#)
            #expect(blank.status == .badRequest && blank.message.contains("customFields[0].value"), "\(blank.text)")
            let logs = try await api.get("/conversations/\(made.id)/eventLogs").decode([AnytimeEventLog].self)
            #expect(logs.filter { $0.text.contains("Custom fields") }.count == 1)
            // Listed conversations carry them too; deleting a field removes its values.
            #expect(
                try await api.get("/conversations").decode(AnytimeConversationPage.self).conversations.first?.customFields == changed.customFields)
            #expect(try await api.delete("/fields/\(region.id)").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).customFields.map(\.name) == ["Order"])
        }
    }

    @Test("PUT /fields/mapping maps system and custom fields (null clears), all or nothing; a chat field maps to one field")
    func mapping() async throws {
        try await AnytimeTestClient.run { api in
            let region = try await api.post("/fields", Self.region).decode(AnytimeField.self)
            let mapped = try await api.put(
                "/fields/mapping",
                #"{"fieldMappings": [{"fieldId": "subject", "chatFieldMapping": "chat-subject"}, {"fieldId": "\#(region.id)", "chatFieldMapping": "chat-region", "offlineMessageFieldMapping": "om-region"}]}"#
            )
            #expect(mapped.status == .noContent, "\(mapped.text)")
            let subject = try await api.get("/fields/subject").decode(AnytimeField.self)
            #expect(subject.chatFieldMapping == "chat-subject" && subject.offlineMessageFieldMapping == nil && subject.isSystemField)
            let custom = try await api.get("/fields/\(region.id)").decode(AnytimeField.self)
            #expect(custom.chatFieldMapping == "chat-region" && custom.offlineMessageFieldMapping == "om-region")
            // chat-region is taken by Region: refused, and nothing of the request is kept.
            let taken = try await api.put(
                "/fields/mapping",
                #"{"fieldMappings": [{"fieldId": "subject", "chatFieldMapping": null}, {"fieldId": "status", "chatFieldMapping": "chat-region"}]}"#)
            #expect(taken.status == .badRequest && taken.message.contains("chatFieldMapping"), "\(taken.text)")
            #expect(try await api.get("/fields/subject").decode(AnytimeField.self).chatFieldMapping == "chat-subject")
            let unknown = try await api.put("/fields/mapping", #"{"fieldMappings": [{"fieldId": "nope", "chatFieldMapping": "c"}]}"#)
            #expect(unknown.status == .notFound && unknown.message.contains("nope"), "\(unknown.text)")
            for (body, member) in [
                (#"{}"#, "fieldMappings"), (#"{"fieldMappings": [{"chatFieldMapping": "c"}]}"#, "fieldMappings[0].fieldId"),
                (#"{"fieldMappings": [{"fieldId": "subject", "chatFieldMapping": 3}]}"#, "chatFieldMapping"),
                (#"{"fieldMappings": [{"fieldId": "subject"}, {"fieldId": "subject"}]}"#, "fieldMappings[1].fieldId"),
            ] {
                let reply = try await api.put("/fields/mapping", body)
                #expect(reply.status == .badRequest && reply.message.contains(member), "\(member): \(reply.text)")
            }
            #expect(
                try await api.put("/fields/mapping", #"{"fieldMappings": [{"fieldId": "subject", "chatFieldMapping": null}]}"#).status == .noContent)
            #expect(try await api.get("/fields/subject").decode(AnytimeField.self).chatFieldMapping == nil)
        }
    }

    @Test("Another site's fields are invisible: 404 to read, change or delete; its conversations cannot use them; names are per site")
    func tenancy() async throws {
        try await AnytimeTestClient.run { api in
            let other = AgentDirectory.otherSite
            let region = try await api.post("/fields", Self.region).decode(AnytimeField.self)
            #expect(try await api.get("/fields/\(region.id)", as: other).status == .notFound)
            #expect(try await api.put("/fields/\(region.id)", #"{"name": "Mine"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/fields/\(region.id)", as: other).status == .notFound)
            #expect(try await api.get("/fields?isSystemField=false", as: other).decode([AnytimeField].self).isEmpty)
            let mapping = try await api.put(
                "/fields/mapping", #"{"fieldMappings": [{"fieldId": "\#(region.id)", "chatFieldMapping": "c"}]}"#, as: other)
            #expect(mapping.status == .notFound)
            let used = try await api.post(
                "/conversations",
                #"{"subject": "a", "customFields": [{"id": "\#(region.id)", "value": "emea"}], "message": {"channelId": "email", "contents": []}}"#,
                as: other)
            #expect(used.status == .badRequest && used.message.contains("customFields[0].id"), "\(used.text)")
            // The other site has no Region field, so its conversations carry no default.
            #expect(try await api.create(as: other).customFields.isEmpty)
            #expect(try await api.post("/fields", Self.region, as: other).status == .created)
            #expect(try await api.get("/fields/\(region.id)").decode(AnytimeField.self) == region)
        }
    }
}
