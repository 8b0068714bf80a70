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

@Suite("Contact API: contacts and identities")
struct ContactTests {
    @Test("The seed's create example (L913–L925, without its trailing comma) answers 201 in the shape of L935–L956")
    func createSeedExample() async throws {
        try await ContactTestClient.run { api in
            let reply = try await api.post(
                "/contact/contacts/",
                #"{"name":"Test","contactIdentities":[{"contactIdentityType":"Email","value":"test@1234.com","name":"Test"}],"customFields":{"company": "Comm100"}}"#
            )
            #expect(reply.status == .created, "\(reply.text)")
            let contact = try reply.decode(Comm100Contact.self)
            #expect(ContactIDs.parse(contact.id) == contact.id)
            #expect(contact.name == "Test" && contact.mergeToContactId == "00000000-0000-0000-0000-000000000000")
            #expect(contact.customFields["company"] == "Comm100" && contact.customFields["city"] == "" && contact.customFields.count == 14)
            #expect(contact.firstName == "" && contact.customFields["firstName"] == "")
            #expect(
                contact.createTime == contact.lastUpdatedTime && contact.createTime.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let identity = try #require(contact.contactIdentities.first)
            #expect(identity.contactIdentityType == "email" && identity.value == "test@1234.com" && identity.name == "Test")
            #expect(identity.contactId == contact.id && !identity.isDeleted && identity.avatarUrl == "")
            let members = try #require(reply.object["contactIdentities"] as? [[String: Any]]).first?.keys.sorted()
            #expect(
                members == [
                    "avatarUrl", "contactId", "contactIdentityType", "id", "infoUrl", "isDeleted", "name", "originalContactPageUrl", "screenName",
                    "value",
                ])
            #expect(try await api.get("/contact/contacts/\(contact.id)").decode(Comm100Contact.self) == contact)
        }
    }

    @Test("The seed's other spellings are read: singular members, the model's identity names, customFields as {name, value} pairs, names in any case")
    func spellings() async throws {
        try await ContactTestClient.run { api in
            let contact = try await api.createContact(
                #"""
                {"Name": "Tom Cruise", "FirstName": "Tom",
                 "contactIdentity": [{"type": "sms", "value": "+1 (604) 555-0100", "displayName": "tc", "avatar": "http://a/x.png", "identityInfoUrl": "http://i"}],
                 "customField": [{"name": "Company", "value": "Comm100"}, {"name": "lastName", "value": "Cruise"}]}
                """#)
            #expect(contact.name == "Tom Cruise" && contact.firstName == "Tom" && contact.lastName == "Cruise")
            #expect(contact.customFields["company"] == "Comm100" && contact.customFields["firstName"] == "Tom")
            let sms = try #require(contact.contactIdentities.first)
            #expect(sms.contactIdentityType == "SMS" && sms.value == "+1 (604) 555-0100" && sms.screenName == "tc")
            #expect(sms.avatarUrl == "http://a/x.png" && sms.infoUrl == "http://i")
        }
    }

    @Test("Every value is checked against its field: 400 in Comm100's shape naming it")
    func valueValidation() async throws {
        try await ContactTestClient.run { api in
            for body in [
                #"{"name": "Age", "type": "integer"}"#, #"{"name": "Score", "type": "float"}"#, #"{"name": "Site", "type": "url"}"#,
                #"{"name": "Mail", "type": "email"}"#, #"{"name": "Born", "type": "date"}"#, #"{"name": "Seen", "type": "dateTime"}"#,
                #"{"name": "VIP", "type": "checkbox"}"#, #"{"name": "Tier", "type": "radio", "fieldOptions": [{"value": "gold"}]}"#,
                #"{"name": "Topics", "type": "checkboxlist", "fieldOptions": [{"value": "a"}, {"value": "b"}]}"#,
                #"{"name": "Code", "type": "text", "length": 3}"#,
            ] { try await api.createField(body) }
            let cases: [(String, String)] = [
                (#""Age": "12.5""#, "'customFields.Age' must be a whole number"),
                (#""Age": "99999999999999999999""#, "'customFields.Age' must be a whole number"),
                (#""Score": "1,5""#, "'customFields.Score' must be a number"),
                (#""Site": "ftp://example.com""#, "'customFields.Site' must be an absolute http or https URL"),
                (#""Mail": "not-an-address""#, "'customFields.Mail' must be an email address"),
                (#""Born": "2022-02-30""#, "'customFields.Born' must be a date"),
                (#""Born": "2022-03-18T10:00:00Z""#, "'customFields.Born' must be a date"),
                (#""Seen": "yesterday""#, "'customFields.Seen' must be a date and time"),
                (#""VIP": "perhaps""#, "'customFields.VIP' must be true or false"),
                (#""Tier": "platinum""#, "'customFields.Tier' must be one of 'gold'"),
                (#""Topics": "a,z""#, "'customFields.Topics' holds 'z'"),
                (#""Code": "ABCD""#, "'customFields.Code' is longer than 3 characters"),
                (#""timeZone": "Nowhere/Else""#, "'customFields.timeZone' must be a time zone"),
                (#""Unknown": "x""#, "'customFields.Unknown' names no contact field"),
                (#""SMS": "+15550100""#, "'customFields.SMS' is an identity field"),
                (#""Age": {"n": 1}"#, "'customFields.Age' must be a string"),
            ]
            for (member, words) in cases {
                let reply = try await api.post("/contact/contacts", #"{"name": "X", "contactIdentities": [], "customFields": {\#(member)}}"#)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(member): \(reply.text)")
                #expect(reply.object["code"] as? Int == 400_000)
            }
            let identityCases: [(String, String)] = [
                (
                    #"[{"contactIdentityType": "pager", "value": "1"}]"#,
                    "'contactIdentities[0].contactIdentityType' must be one of visitor, email, SMS"
                ),
                (#"[{"contactIdentityType": "email", "value": "nope"}]"#, "'contactIdentities[0].value' must be an email address"),
                (#"[{"contactIdentityType": "SMS", "value": "call me"}]"#, "'contactIdentities[0].value' must be a phone number"),
                (#"[{"contactIdentityType": "SMS"}]"#, "'contactIdentities[0].value' is required"),
                (#"[{"value": "a@b.co"}]"#, "'contactIdentities[0].contactIdentityType' is required"),
                (#"[{"contactIdentityType": "email", "value": "a@b.co"}, {"type": "EMAIL", "value": "A@B.co"}]"#, "repeats the email identity"),
                (#""nope""#, "'contactIdentities' must be an array"),
            ]
            for (identities, words) in identityCases {
                let reply = try await api.post("/contact/contacts", #"{"name": "X", "contactIdentities": \#(identities)}"#)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(identities): \(reply.text)")
            }
            for (body, words) in [
                (#"{"contactIdentities": []}"#, "'name' is required"), (#"{"name": "  ", "contactIdentities": []}"#, "'name' is required"),
                (#"{"name": "X"}"#, "'contactIdentities' is required"), (#"{"name": 5, "contactIdentities": []}"#, "'name' must be a string"),
                ("[]", "must be an object"), ("", "empty"),
            ] {
                let reply = try await api.post("/contact/contacts", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.text)")
            }
            // Values are stored in one spelling; numbers and booleans may come as JSON numbers and booleans.
            let good = try await api.createContact(
                #"""
                {"name": "Ok", "contactIdentities": [], "customFields": {"age": 42, "Score": "-1.5e3", "Site": "https://comm100.com/x", "Mail": "a@b.io",
                 "Born": "1990-1-2", "Seen": "2022-03-18 01:12:32.0000000", "VIP": true, "Tier": "GOLD", "Topics": "b, a", "timeZone": "America/Vancouver"}}
                """#)
            #expect(good.customFields["Age"] == "42" && good.customFields["Score"] == "-1.5e3" && good.customFields["VIP"] == "true")
            #expect(good.customFields["Born"] == "1990-01-02" && good.customFields["Seen"] == "2022-03-18T01:12:32.000Z")
            #expect(
                good.customFields["Tier"] == "gold" && good.customFields["Topics"] == "a,b" && good.customFields["timeZone"] == "America/Vancouver")
        }
    }

    @Test("Required fields must be set, defaults fill what is left out, read-only values can be set once and sent back unchanged")
    func requiredDefaultsReadOnly() async throws {
        try await ContactTestClient.run { api in
            try await api.createField(#"{"name": "Region", "type": "text", "isRequired": true}"#)
            try await api.createField(#"{"name": "Plan", "type": "text", "defaultValue": "free"}"#)
            try await api.createField(#"{"name": "External Id", "type": "text", "isReadOnly": true}"#)
            let missing = try await api.post("/contact/contacts", #"{"name": "A", "contactIdentities": []}"#)
            #expect(missing.status == .badRequest && missing.message.contains("'customFields.Region' is required"))
            let empty = try await api.post("/contact/contacts", #"{"name": "A", "contactIdentities": [], "customFields": {"Region": ""}}"#)
            #expect(empty.status == .badRequest)
            let contact = try await api.createContact(
                #"{"name": "A", "contactIdentities": [], "customFields": {"Region": "EU", "External Id": "x-1"}}"#)
            #expect(contact.customFields["Plan"] == "free" && contact.customFields["External Id"] == "x-1")
            let explicit = try await api.createContact(#"{"name": "B", "contactIdentities": [], "customFields": {"Region": "EU", "Plan": ""}}"#)
            #expect(explicit.customFields["Plan"] == "")
            let cleared = try await api.put("/contact/contacts/\(contact.id)", #"{"customFields": {"Region": null}}"#)
            #expect(cleared.status == .badRequest && cleared.message.contains("'customFields.Region' is required"))
            let changed = try await api.put("/contact/contacts/\(contact.id)", #"{"customFields": {"External Id": "x-2"}}"#)
            #expect(changed.status == .badRequest && changed.message.contains("read-only"))
            let roundTrip = try await api.put(
                "/contact/contacts/\(contact.id)", #"{"name": "A2", "customFields": {"External Id": "x-1", "Region": "US"}}"#)
            #expect(roundTrip.status == .ok, "\(roundTrip.text)")
            // A required identity field needs an identity of its type.
            let sms = try #require(try await api.get("/contact/fields").decode([Comm100ContactField].self).first { $0.name == "SMS" })
            #expect(try await api.put("/contact/fields/\(sms.id)", #"{"isRequired": true}"#).status == .ok)
            let noPhone = try await api.post("/contact/contacts", #"{"name": "C", "contactIdentities": [], "customFields": {"Region": "EU"}}"#)
            #expect(noPhone.status == .badRequest && noPhone.message.contains("must hold a SMS identity"))
        }
    }

    @Test("PUT: given identities replace the list (ids kept), given values merge and \"\" clears, the rest stays; lastUpdatedTime moves")
    func update() async throws {
        try await ContactTestClient.run { api in
            let contact = try await api.createContact(
                #"""
                {"name": "Tom", "contactIdentities": [{"contactIdentityType": "Email", "value": "tom@example.com"}, {"contactIdentityType": "SMS", "value": "+15550100"}],
                 "customFields": {"company": "Comm100", "city": "Vancouver"}}
                """#)
            let email = try #require(contact.contactIdentities.first)
            try await Task.sleep(for: .milliseconds(5))
            let reply = try await api.put(
                "/contact/contacts/\(contact.id)",
                #"""
                {"id": "\#(contact.id)", "name": "Tom cruise 2", "createTime": "2022-03-18 01:12:32.0000000", "mergeToContactId": "00000000-0000-0000-0000-000000000000",
                 "contactIdentities": [{"id": "\#(email.id)", "contactId": "\#(contact.id)", "contactIdentityType": "Email", "value": "Tom@Example.com", "name": "Tom"},
                                       {"contactIdentityType": "twitter", "value": "@tom"}],
                 "customFields": {"city": ""}}
                """#)
            #expect(reply.status == .ok, "\(reply.text)")
            let updated = try reply.decode(Comm100Contact.self)
            #expect(updated.name == "Tom cruise 2" && updated.createTime == contact.createTime && updated.lastUpdatedTime > contact.lastUpdatedTime)
            #expect(updated.contactIdentities.map(\.contactIdentityType) == ["email", "twitter"])
            #expect(updated.contactIdentities[0].id == email.id && updated.contactIdentities[0].value == "Tom@Example.com")
            #expect(updated.customFields["company"] == "Comm100" && updated.customFields["city"] == "")
            #expect(try await api.get("/contact/contacts/\(contact.id)").decode(Comm100Contact.self) == updated)
            // The SMS identity it dropped is free for another contact.
            try await api.createContact(#"{"name": "Other", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+1 555 0100"}]}"#)
            let foreign = try await api.put(
                "/contact/contacts/\(contact.id)",
                #"{"contactIdentities": [{"id": "\#(UUID().uuidString)", "contactIdentityType": "SMS", "value": "+15550199"}]}"#)
            #expect(foreign.status == .badRequest && foreign.message.contains("is not an identity of this contact"))
            let mismatch = try await api.put("/contact/contacts/\(contact.id)", #"{"id": "\#(UUID().uuidString)", "name": "X"}"#)
            #expect(mismatch.status == .badRequest && mismatch.message.contains("'id' must be the id in the path"))
            #expect(try await api.put("/contact/contacts/\(UUID().uuidString)", #"{"name": "X"}"#).status == .notFound)
            #expect(try await api.put("/contact/contacts/\(contact.id)", #"{"name": ""}"#).status == .badRequest)
        }
    }

    @Test("An identity value belongs to one contact of a site (email any case, phone numbers without separators): 409; other sites may reuse it")
    func uniqueIdentities() async throws {
        try await ContactTestClient.run { api in
            let first = try await api.createContact(
                #"{"name": "A", "contactIdentities": [{"contactIdentityType": "email", "value": "Ann@Example.com"}, {"contactIdentityType": "SMS", "value": "+1 604-555-0100"}]}"#
            )
            for identity in [
                #"{"contactIdentityType": "EMAIL", "value": "ann@example.com"}"#, #"{"contactIdentityType": "sms", "value": "+16045550100"}"#,
            ] {
                let reply = try await api.post("/contact/contacts", #"{"name": "B", "contactIdentities": [\#(identity)]}"#)
                #expect(reply.status == .conflict && reply.message.contains(first.id), "\(reply.text)")
                #expect(reply.object["code"] as? Int == 409_000)
            }
            // Same value, other type: a different identity.
            try await api.createContact(#"{"name": "C", "contactIdentities": [{"contactIdentityType": "facebook", "value": "ann@example.com"}]}"#)
            let second = try await api.createContact(#"{"name": "D", "contactIdentities": []}"#)
            let taken = try await api.put(
                "/contact/contacts/\(second.id)", #"{"contactIdentities": [{"contactIdentityType": "email", "value": "ANN@example.com"}]}"#)
            #expect(taken.status == .conflict)
            let elsewhere = try await api.post(
                "/contact/contacts", #"{"name": "E", "contactIdentities": [{"contactIdentityType": "email", "value": "ann@example.com"}]}"#,
                as: AgentDirectory.otherSite)
            #expect(elsewhere.status == .created)
        }
    }

    @Test("Identities: GET by id (either path spelling), :identify by value with or without a type, [] when none, never creating")
    func identities() async throws {
        try await ContactTestClient.run { api in
            let contact = try await api.createContact(
                #"{"name": "A", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+033214561"}, {"contactIdentityType": "facebook", "value": "+033214561"}]}"#
            )
            let sms = contact.contactIdentities[0]
            for path in [
                "/contact/contactIdentities/\(sms.id)", "/contact/ContactIdentities/\(sms.id)", "/contact/contactidentities/\(sms.id.uppercased())/",
            ] {
                let reply = try await api.get(path)
                #expect(reply.status == .ok, "\(path): \(reply.text)")
                #expect(try reply.decode(Comm100ContactIdentity.self) == sms)
            }
            #expect(try await api.get("/contact/contactIdentities/\(UUID().uuidString)").status == .notFound)
            #expect(try await api.get("/contact/contactIdentities/\(sms.id)", as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.get("/contact/contactIdentities/xyz").status == .badRequest)

            let both = try await api.post("/contact/ContactIdentities:identify", #"{"value": "+033214561"}"#)
            #expect(both.status == .ok && both.array.count == 2, "\(both.text)")
            let typed = try await api.post("/contact/contactIdentities:identify", #"{"value": "+03 321 4561", "identityType": "sms"}"#)
            #expect(try typed.decode([Comm100ContactIdentity].self) == [sms])
            let query = try await api.send(.post, "/contact/contactIdentities%3Aidentify?value=%2B033214561&identityType=facebook")
            #expect(try query.decode([Comm100ContactIdentity].self).map(\.contactIdentityType) == ["facebook"])
            let none = try await api.post("/contact/contactIdentities:identify", #"{"value": "+19999999999"}"#)
            #expect(none.status == .ok && none.text == "[]")
            #expect(try await api.get("/contact/contacts").decode(Comm100ContactPage.self).total == 1)
            let missing = try await api.post("/contact/contactIdentities:identify", "{}")
            #expect(missing.status == .badRequest && missing.message.contains("'value' is required"))
            let badType = try await api.post("/contact/contactIdentities:identify", #"{"value": "x", "identityType": "fax"}"#)
            #expect(badType.status == .badRequest && badType.message.contains("'identityType' must be one of"))
        }
    }

    @Test("DELETE one (204, then 404) and many (ids repeated, comma-separated or in a JSON body; unknown ids ignored, invalid ones 400)")
    func delete() async throws {
        try await ContactTestClient.run { api in
            var ids: [String] = []
            for index in 0..<6 {
                ids.append(
                    try await api.createContact(
                        #"{"name": "C\#(index)", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+1555000\#(index)"}]}"#
                    ).id)
            }
            let one = try await api.delete("/contact/contacts/\(ids[0])")
            #expect(one.status == .noContent && one.body.readableBytes == 0)
            #expect(try await api.get("/contact/contacts/\(ids[0])").status == .notFound)
            #expect(try await api.delete("/contact/contacts/\(ids[0])").status == .notFound)
            // Its identity is free again.
            try await api.createContact(#"{"name": "New", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550000"}]}"#)
            #expect(try await api.delete("/contact/contacts?ids=\(ids[1])&ids=\(ids[2])").status == .noContent)
            #expect(try await api.delete("/contact/contacts?ids=\(ids[3]),\(UUID().uuidString)").status == .noContent)
            #expect(try await api.delete("/contact/contacts", #"{"ids": ["\#(ids[4])"]}"#).status == .noContent)
            for id in ids.prefix(5) { #expect(try await api.get("/contact/contacts/\(id)").status == .notFound) }
            #expect(try await api.get("/contact/contacts/\(ids[5])").status == .ok)
            let invalid = try await api.delete("/contact/contacts?ids=\(ids[5]),nope")
            #expect(invalid.status == .badRequest && invalid.message.contains("GUIDs"))
            #expect(try await api.get("/contact/contacts/\(ids[5])").status == .ok)
            #expect(try await api.delete("/contact/contacts").message.contains("'ids' is required"))
            #expect(try await api.delete("/contact/contacts", #"{"ids": "x"}"#).status == .badRequest)
            // Another site's contacts are not touched by a batch naming them.
            #expect(try await api.delete("/contact/contacts?ids=\(ids[5])", as: AgentDirectory.otherSite).status == .noContent)
            #expect(try await api.get("/contact/contacts/\(ids[5])").status == .ok)
        }
    }

    @Test("Merge: the body's contact goes into the path's; identities move, empty values fill, the source points at the survivor and leaves the list")
    func merge() async throws {
        try await ContactTestClient.run { api in
            let survivor = try await api.createContact(
                #"{"name": "Tom", "contactIdentities": [{"contactIdentityType": "email", "value": "tom@example.com"}], "customFields": {"company": "Comm100"}}"#
            )
            let source = try await api.createContact(
                #"{"name": "T. Cruise", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100"}], "customFields": {"company": "Other", "city": "Paris"}}"#
            )
            let reply = try await api.post("/contact/contacts/\(survivor.id):merge", #"{"contactId": "\#(source.id)"}"#)
            #expect(reply.status == .noContent && reply.body.readableBytes == 0, "\(reply.text)")
            let merged = try await api.get("/contact/contacts/\(survivor.id)").decode(Comm100Contact.self)
            #expect(merged.name == "Tom" && merged.customFields["company"] == "Comm100" && merged.customFields["city"] == "Paris")
            #expect(merged.contactIdentities.map(\.value) == ["tom@example.com", "+15550100"])
            #expect(merged.contactIdentities.allSatisfy { $0.contactId == survivor.id })
            let gone = try await api.get("/contact/contacts/\(source.id)").decode(Comm100Contact.self)
            #expect(gone.mergeToContactId == survivor.id && gone.contactIdentities.isEmpty)
            #expect(try api.names(try await api.get("/contact/contacts")) == ["Tom"])
            let identified = try await api.post("/contact/contactIdentities:identify", #"{"value": "+15550100"}"#)
            #expect(try identified.decode([Comm100ContactIdentity].self).map(\.contactId) == [survivor.id])
            // What a merge may not do.
            let third = try await api.createContact(#"{"name": "Third", "contactIdentities": []}"#)
            let refusals: [(String, String, HTTPResponse.Status, String)] = [
                (survivor.id, survivor.id, .badRequest, "into itself"),
                (source.id, third.id, .badRequest, "merge into that contact instead"),
                (third.id, source.id, .badRequest, "already merged"),
                (third.id, UUID().uuidString, .notFound, "not found"),
                (UUID().uuidString, third.id, .notFound, "not found"),
                (third.id, "nope", .badRequest, "'contactId' must be a GUID"),
            ]
            for (target, body, status, words) in refusals {
                let refused = try await api.post("/contact/contacts/\(target):MERGE", #"{"contactId": "\#(body)"}"#)
                #expect(refused.status == status && refused.message.contains(words), "\(target) <- \(body): \(refused.text)")
            }
            #expect(try await api.post("/contact/contacts/\(third.id):merge", "{}").message.contains("'contactId' is required"))
            #expect(
                try await api.post("/contact/contacts/\(survivor.id):merge", #"{"contactId": "\#(third.id)"}"#, as: AgentDirectory.otherSite).status
                    == .notFound)
        }
    }

    @Test("Writing contacts needs Manage Contacts (403); any agent reads; no or wrong credentials are 401 with Basic's challenge")
    func permissions() async throws {
        try await ContactTestClient.run { api in
            let contact = try await api.createContact(#"{"name": "A", "contactIdentities": []}"#, as: AgentDirectory.editor)
            let reader = AgentDirectory.reader
            #expect(try await api.get("/contact/contacts/\(contact.id)", as: reader).status == .ok)
            #expect(try await api.get("/contact/contacts", as: reader).status == .ok)
            #expect(try await api.post("/contact/contacts:query", "{}", as: reader).status == .ok)
            let forbidden: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/contact/contacts", #"{"name": "B", "contactIdentities": []}"#),
                (.put, "/contact/contacts/\(contact.id)", #"{"name": "B"}"#),
                (.delete, "/contact/contacts/\(contact.id)", nil), (.delete, "/contact/contacts?ids=\(contact.id)", nil),
                (.post, "/contact/contacts/\(contact.id):merge", #"{"contactId": "\#(UUID().uuidString)"}"#),
            ]
            for (method, path, body) in forbidden {
                let reply = try await api.send(method, path, body, as: reader)
                #expect(reply.status == .forbidden && reply.message.contains("Manage Contacts"), "\(method) \(path): \(reply.text)")
                #expect(reply.object["code"] as? Int == 403_000)
            }
            let anonymous = try await api.client.execute(uri: "/contact/contacts", method: .get)
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate]?.contains("Basic") == true)
            var wrong = AgentDirectory.admin
            wrong.key = "wrong-key-0123456789"
            #expect(try await api.get("/contact/contacts", as: wrong).status == .unauthorized)
            var elsewhere = AgentDirectory.admin
            elsewhere.site = "20000"
            #expect(try await api.get("/contact/contacts", as: elsewhere).status == .unauthorized)
            #expect(try await api.get("/contact/contacts/\(contact.id)", as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.delete("/contact/contacts/\(contact.id)", as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.put("/contact/contacts/\(contact.id)", #"{"name": "Mine"}"#, as: AgentDirectory.otherSite).status == .notFound)
        }
    }
}
