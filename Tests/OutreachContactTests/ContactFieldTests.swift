import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("Contact API: contact fields")
struct ContactFieldTests {
    @Test("A site starts with the seed's 14 system fields and one identity field per identity type, sorted by order, as a bare array")
    func systemFields() async throws {
        try await ContactTestClient.run { api in
            let reply = try await api.get("/contact/fields")
            #expect(reply.status == .ok)
            let fields = try reply.decode([Comm100ContactField].self)
            #expect(fields.count == 26)
            #expect(fields.prefix(3).map(\.name) == ["firstName", "lastName", "description"])
            #expect(fields.allSatisfy { $0.isSystem })
            #expect(fields.map(\.order) == fields.map(\.order).sorted())
            let company = try #require(fields.first { $0.name == "company" })
            #expect(company.type == .text && company.length == 256 && !company.isIdentity && company.identityType == "")
            #expect(fields.first { $0.name == "timeZone" }?.type == .timezone)
            let sms = try #require(fields.first { $0.name == "SMS" })
            #expect(sms.isIdentity && sms.identityType == "SMS")
            #expect(fields.filter(\.isIdentity).map(\.identityType).sorted() == Comm100IdentityType.allCases.map(\.rawValue).sorted())
            // The trailing slash of L1096 is the same list; the one field answers alone.
            #expect(try await api.get("/contact/fields/").decode([Comm100ContactField].self).count == 26)
            #expect(try await api.get("/contact/fields/\(company.id)").decode(Comm100ContactField.self) == company)
        }
    }

    @Test("Custom fields of every type: created with 201, defaults, options in order, `date time` read as dateTime, booleans read from strings")
    func createEveryType() async throws {
        try await ContactTestClient.run { api in
            let text = try await api.createField(#"{"name": "Nickname", "type": "text", "helpText": "what friends say"}"#)
            #expect(!text.isSystem && !text.isIdentity && text.length == 256 && text.isVisible && !text.isRequired && !text.isReadOnly)
            #expect(text.order == 27 && text.helpText == "what friends say" && text.fieldOptions.isEmpty)
            let seedStyle = try await api.createField(
                #"{"name": "Notes", "type": "textArea", "isRequired": "false", "isReadOnly": "true", "length": "4000", "order": "40"}"#)
            #expect(seedStyle.isReadOnly && seedStyle.length == 4000 && seedStyle.order == 40)
            for (name, type) in [("Work Email", "email"), ("Homepage", "url"), ("Birthday", "date"), ("Age", "integer"), ("Score", "float")] {
                #expect(try await api.createField(#"{"name": "\#(name)", "type": "\#(type)"}"#).type.rawValue == type)
            }
            #expect(try await api.createField(#"{"name": "Last Visit", "type": "date time"}"#).type == .dateTime)
            #expect(try await api.createField(#"{"name": "VIP", "type": "Checkbox", "defaultValue": "yes"}"#).defaultValue == "true")
            let tier = try await api.createField(
                #"""
                {"name": "Tier", "type": "dropdownlist", "defaultValue": "silver",
                 "fieldOptions": [{"value": "Gold", "order": 2}, {"value": "Silver", "order": 1, "displayText": "Silver tier"}]}
                """#)
            #expect(tier.fieldOptions.map(\.value) == ["Silver", "Gold"] && tier.defaultValue == "Silver")
            #expect(tier.fieldOptions.allSatisfy { $0.fieldId == tier.id } && tier.fieldOptions[0].displayText == "Silver tier")
            #expect(tier.fieldOptions[1].displayText == "Gold")
            #expect(
                try await api.createField(#"{"name": "Source", "type": "radio", "fieldOptions": [{"value": "web"}, {"value": "ad"}]}"#).type == .radio
            )
            #expect(
                try await api.createField(#"{"name": "Topics", "type": "checkboxlist", "fieldOptions": [{"value": "a"}, {"value": "b"}]}"#).type
                    == .checkboxlist)
            #expect(
                try await api.createField(#"{"name": "Zone", "type": "timezone", "defaultValue": "Europe/Paris"}"#).defaultValue == "Europe/Paris")
            let all = try await api.get("/contact/fields").decode([Comm100ContactField].self)
            #expect(all.count == 26 + 13)
            #expect(all.map(\.order) == all.map(\.order).sorted() && all.last?.name == "Zone")
        }
    }

    @Test("Bad field definitions are 400s naming the member; a name used already (any case) is 409")
    func invalidDefinitions() async throws {
        try await ContactTestClient.run { api in
            try await api.createField(#"{"name": "Plan", "type": "text"}"#)
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"type": "text"}"#, .badRequest, "'name'"),
                (#"{"name": "X"}"#, .badRequest, "'type'"),
                (#"{"name": "X", "type": "colour"}"#, .badRequest, "'type' must be one of"),
                (#"{"name": "plan", "type": "text"}"#, .conflict, "'Plan' already exists"),
                (#"{"name": "COMPANY", "type": "text"}"#, .conflict, "'company' already exists"),
                (#"{"name": "createTime", "type": "text"}"#, .badRequest, "a contact already has a member"),
                (#"{"name": "X", "type": "text", "length": 0}"#, .badRequest, "'length'"),
                (#"{"name": "X", "type": "text", "length": 4001}"#, .badRequest, "'length'"),
                (#"{"name": "X", "type": "text", "length": "long"}"#, .badRequest, "'length' must be an integer"),
                (#"{"name": "X", "type": "text", "isRequired": "maybe"}"#, .badRequest, "'isRequired' must be true or false"),
                (#"{"name": "X", "type": "radio"}"#, .badRequest, "'fieldOptions' must list at least one"),
                (#"{"name": "X", "type": "radio", "fieldOptions": [{"value": "a"}, {"value": "A"}]}"#, .badRequest, "repeats the option"),
                (#"{"name": "X", "type": "radio", "fieldOptions": [{"order": 1}]}"#, .badRequest, "'fieldOptions[0].value'"),
                (#"{"name": "X", "type": "checkboxlist", "fieldOptions": [{"value": "a,b"}]}"#, .badRequest, "comma"),
                (#"{"name": "X", "type": "text", "fieldOptions": [{"value": "a"}]}"#, .badRequest, "only for radio"),
                (#"{"name": "X", "type": "integer", "defaultValue": "ten"}"#, .badRequest, "'defaultValue' must be a whole number"),
                (#"{"name": "X", "type": "dropdownlist", "defaultValue": "c", "fieldOptions": [{"value": "a"}]}"#, .badRequest, "'defaultValue'"),
                (#"{"name": "X", "type": "timezone", "defaultValue": "Mars/Olympus"}"#, .badRequest, "'defaultValue' must be a time zone"),
                (#"{"name": "X", "type": "text", "isIdentity": true}"#, .badRequest, "'isIdentity'"),
                (#"{"name": "X", "type": "text", "fieldOptions": {"value": "a"}}"#, .badRequest, "'fieldOptions' must be an array"),
                (#"{"name": "X", "type": "text"]"#, .badRequest, "not valid JSON"),
            ]
            for (body, status, words) in cases {
                let reply = try await api.post("/contact/fields", body)
                #expect(reply.status == status, "\(body): \(reply.status) \(reply.text)")
                #expect(reply.message.contains(words), "\(body): \(reply.text)")
                #expect(reply.object["code"] as? Int == Int(status.code) * 1000)
            }
        }
    }

    @Test("PUT changes what it names and keeps the rest; system fields change only isRequired, isVisible, helpText, defaultValue and order")
    func update() async throws {
        try await ContactTestClient.run { api in
            let tier = try await api.createField(#"{"name": "Tier", "type": "radio", "fieldOptions": [{"value": "gold"}, {"value": "silver"}]}"#)
            let gold = tier.fieldOptions[0]
            let renamed = try await api.put(
                "/contact/fields/\(tier.id)",
                #"{"id": "\#(tier.id.uppercased())", "name": "Level", "isRequired": true, "fieldOptions": [{"id": "\#(gold.id)", "value": "gold"}, {"value": "bronze"}]}"#
            )
            #expect(renamed.status == .ok, "\(renamed.text)")
            let field = try renamed.decode(Comm100ContactField.self)
            #expect(field.name == "Level" && field.isRequired && field.type == .radio && field.order == tier.order)
            #expect(field.fieldOptions.map(\.value) == ["gold", "bronze"] && field.fieldOptions[0].id == gold.id)
            #expect(try await api.get("/contact/fields/\(tier.id)").decode(Comm100ContactField.self) == field)
            // What a field may not do.
            let refusals: [(String, String)] = [
                (#"{"type": "text"}"#, "'type' cannot change"),
                (#"{"id": "\#(UUID().uuidString)"}"#, "'id' must be the id in the path"),
                (#"{"name": "company"}"#, "already exists"),
                (#"{"isSystem": true}"#, "'isSystem'"),
                (#"{"fieldOptions": []}"#, "at least one option"),
            ]
            for (body, words) in refusals {
                let reply = try await api.put("/contact/fields/\(tier.id)", body)
                #expect(
                    reply.status == (words == "already exists" ? .conflict : .badRequest) && reply.message.contains(words), "\(body): \(reply.text)")
            }
            let company = try #require(try await api.get("/contact/fields").decode([Comm100ContactField].self).first { $0.name == "company" })
            let edited = try await api.put(
                "/contact/fields/\(company.id)",
                #"{"name": "company", "type": "text", "isSystem": "true", "isRequired": true, "helpText": "employer", "defaultValue": "Comm100", "order": 99}"#
            )
            #expect(edited.status == .ok, "\(edited.text)")
            let system = try edited.decode(Comm100ContactField.self)
            #expect(system.isRequired && system.helpText == "employer" && system.defaultValue == "Comm100" && system.order == 99 && system.isSystem)
            for body in [#"{"name": "employer"}"#, #"{"isReadOnly": true}"#, #"{"length": 10}"#, #"{"type": "textArea"}"#] {
                let reply = try await api.put("/contact/fields/\(company.id)", body)
                #expect(reply.status == .badRequest, "\(body): \(reply.text)")
            }
            let email = try #require(try await api.get("/contact/fields").decode([Comm100ContactField].self).first { $0.name == "email" })
            #expect(try await api.put("/contact/fields/\(email.id)", #"{"defaultValue": "a@b.com"}"#).message.contains("identity fields"))
            #expect(try await api.put("/contact/fields/\(email.id)", #"{"identityType": "SMS"}"#).message.contains("'identityType'"))
        }
    }

    @Test("Deleting a custom field removes it and every contact's value; system fields cannot be deleted; unknown and invalid ids")
    func delete() async throws {
        try await ContactTestClient.run { api in
            let field = try await api.createField(#"{"name": "Shoe Size", "type": "integer"}"#)
            let contact = try await api.createContact(#"{"name": "Ann", "contactIdentities": [], "customFields": {"Shoe Size": 38}}"#)
            #expect(contact.customFields["Shoe Size"] == "38")
            let deleted = try await api.delete("/contact/fields/\(field.id)")
            #expect(deleted.status == .noContent && deleted.body.readableBytes == 0)
            #expect(try await api.get("/contact/fields/\(field.id)").status == .notFound)
            #expect(try await api.get("/contact/contacts/\(contact.id)").decode(Comm100Contact.self).customFields["Shoe Size"] == nil)
            // A new field of the same name starts empty.
            try await api.createField(#"{"name": "shoe size", "type": "text"}"#)
            #expect(try await api.get("/contact/contacts/\(contact.id)").decode(Comm100Contact.self).customFields["shoe size"] == "")
            #expect(try await api.delete("/contact/fields/\(field.id)").status == .notFound)
            let phone = try #require(try await api.get("/contact/fields").decode([Comm100ContactField].self).first { $0.name == "phone" })
            let system = try await api.delete("/contact/fields/\(phone.id)")
            #expect(system.status == .badRequest && system.message.contains("system field"))
            let invalid = try await api.get("/contact/fields/not-a-guid")
            #expect(invalid.status == .badRequest && invalid.message.contains("'id' must be a GUID"))
        }
    }

    @Test("Changing fields needs Manage Contact Fields (403); reading needs none; another site's fields are 404")
    func permissionsAndSites() async throws {
        try await ContactTestClient.run { api in
            let field = try await api.createField(#"{"name": "Plan", "type": "text"}"#)
            #expect(try await api.get("/contact/fields", as: AgentDirectory.reader).status == .ok)
            for agent in [AgentDirectory.reader, AgentDirectory.editor] {
                let create = try await api.post("/contact/fields", #"{"name": "Other", "type": "text"}"#, as: agent)
                #expect(create.status == .forbidden && create.message.contains("Manage Contact Fields"))
                #expect(try await api.put("/contact/fields/\(field.id)", #"{"name": "Other"}"#, as: agent).status == .forbidden)
                #expect(try await api.delete("/contact/fields/\(field.id)", as: agent).status == .forbidden)
            }
            let other = AgentDirectory.otherSite
            #expect(try await api.get("/contact/fields/\(field.id)", as: other).status == .notFound)
            #expect(try await api.put("/contact/fields/\(field.id)", #"{"name": "Mine"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/contact/fields/\(field.id)", as: other).status == .notFound)
            #expect(try await api.get("/contact/fields", as: other).decode([Comm100ContactField].self).count == 26)
            // The other site may use the name.
            #expect(try await api.post("/contact/fields", #"{"name": "Plan", "type": "text"}"#, as: other).status == .created)
        }
    }
}
