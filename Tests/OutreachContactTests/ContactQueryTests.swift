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

@Suite("Contact API: lists, search and :query")
struct ContactQueryTests {
    /// Five contacts with fields of each kind the filter language compares.
    static func seed(_ api: ContactTestClient) async throws {
        try await api.createField(#"{"name": "Age", "type": "integer"}"#)
        try await api.createField(#"{"name": "Score", "type": "float"}"#)
        try await api.createField(#"{"name": "Born", "type": "date"}"#)
        try await api.createField(#"{"name": "Seen", "type": "dateTime"}"#)
        try await api.createField(#"{"name": "VIP", "type": "checkbox"}"#)
        try await api.createField(
            #"{"name": "Topics", "type": "checkboxlist", "fieldOptions": [{"value": "sales"}, {"value": "support"}, {"value": "billing"}]}"#)
        let contacts = [
            #"{"name": "Alice", "firstName": "Alice", "contactIdentities": [{"contactIdentityType": "email", "value": "alice@acme.com"}, {"contactIdentityType": "SMS", "value": "+15550001"}], "customFields": {"company": "Acme", "Age": 30, "Score": 1.5, "Born": "1990-05-01", "Seen": "2022-03-18T10:00:00Z", "VIP": true, "Topics": "sales,billing"}}"#,
            #"{"name": "bob", "firstName": "Bob", "contactIdentities": [{"contactIdentityType": "email", "value": "bob@globex.com"}], "customFields": {"company": "Globex", "Age": 45, "Score": 2.25, "Born": "1980-01-15", "Seen": "2022-03-19T00:30:00+02:00", "Topics": "support"}}"#,
            #"{"name": "Carol", "firstName": "Carol", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550003"}], "customFields": {"company": "Acme Labs", "Age": 25, "Born": "2000-12-31", "VIP": false}}"#,
            #"{"name": "Dave", "contactIdentities": [], "customFields": {"company": "", "Age": 45, "Score": -3}}"#,
            #"{"name": "Eve", "firstName": "Eve", "contactIdentities": [{"contactIdentityType": "facebook", "value": "eve.fb"}], "customFields": {"company": "Initech"}}"#,
        ]
        for body in contacts {
            try await api.createContact(body)
            try await Task.sleep(for: .milliseconds(3))
        }
    }

    func query(_ api: ContactTestClient, _ body: String) async throws -> [String] {
        try api.names(try await api.post("/contact/contacts:query", body))
    }

    func condition(_ field: String, _ op: String, _ value: String, order: Int = 0) -> String {
        #"{"fieldName": "\#(field)", "operator": "\#(op)", "value": "\#(value)", "order": \#(order)}"#
    }

    func one(_ api: ContactTestClient, _ field: String, _ op: String, _ value: String) async throws -> [String] {
        try await self.query(api, #"{"sortBy": "name", "filterConditions": [\#(self.condition(field, op, value))]}"#)
    }

    @Test("The list pages in SQL (1-based, 10 by default, 0 for all), sorts by an allowed member, and links the pages either side")
    func listPages() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            let first = try await api.get("/contact/contacts?pageSize=2")
            let page = try first.decode(Comm100ContactPage.self)
            #expect(page.total == 5 && page.contacts.map(\.name) == ["Alice", "bob"] && page.previousPage == nil)
            #expect(first.object.keys.contains("previousPage") && first.object["previousPage"] is NSNull)
            let next = try #require(page.nextPage)
            #expect(next.hasPrefix("http://") && next.contains("/contact/contacts?") && next.contains("pageIndex=2") && next.contains("siteId=10000"))
            let third = try await api.get("/contact/contacts?pageSize=2&pageIndex=3").decode(Comm100ContactPage.self)
            #expect(third.contacts.map(\.name) == ["Eve"] && third.nextPage == nil && third.previousPage?.contains("pageIndex=2") == true)
            #expect(try await api.get("/contact/contacts?pageSize=2&pageIndex=9").decode(Comm100ContactPage.self).contacts.isEmpty)
            #expect(try api.names(try await api.get("/contact/contacts")).count == 5)
            let all = try await api.get("/contact/contacts?pageSize=0").decode(Comm100ContactPage.self)
            #expect(all.contacts.count == 5 && all.nextPage == nil)
            #expect(try api.names(try await api.get("/contact/contacts?sortBy=name&sortOrder=desc")) == ["Eve", "Dave", "Carol", "bob", "Alice"])
            #expect(try api.names(try await api.get("/contact/contacts?sortBy=createTime&sortOrder=DESC&pageSize=1")) == ["Eve"])
            #expect(try api.names(try await api.get("/contact/contacts?sortBy=firstName")) == ["Dave", "Alice", "bob", "Carol", "Eve"])
            let forwarded = try await api.send(
                .get, "/contact/contacts/?pageSize=1", headers: [HTTPField.Name("X-Forwarded-Host")!: "api.example.com"])
            #expect(try forwarded.decode(Comm100ContactPage.self).nextPage?.hasPrefix("http://api.example.com/contact/contacts") == true)
            for (query, words) in [
                ("pageIndex=0", "'pageIndex' must be between 1 and"), ("pageSize=501", "'pageSize' must be between 0"),
                ("pageSize=-1", "'pageSize'"), ("pageSize=ten", "'pageSize' must be an integer"),
                ("sortBy=company", "'sortBy' must be one of"), ("sortOrder=up", "'sortOrder' must be asc or desc"),
                ("contactIdentityType=pager", "'contactIdentityType' must be one of"),
            ] {
                let reply = try await api.get("/contact/contacts?\(query)")
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(query): \(reply.text)")
            }
        }
    }

    @Test("Keywords search the name and identities' ids and values; contactIdentityType and contactIdentityValue hold for one identity")
    func search() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            #expect(try api.names(try await api.get("/contact/contacts?keywords=ALI&sortBy=name")) == ["Alice"])
            #expect(try api.names(try await api.get("/contact/contacts?keywords=acme.com")) == ["Alice"])
            #expect(try api.names(try await api.get("/contact/contacts?keywords=5550&sortBy=name")) == ["Alice", "Carol"])
            #expect(try api.names(try await api.get("/contact/contacts?keywords=100%25")).isEmpty)
            let alice = try #require(try await api.get("/contact/contacts?keywords=alice").decode(Comm100ContactPage.self).contacts.first)
            let identityId = try #require(alice.contactIdentities.first?.id)
            #expect(try api.names(try await api.get("/contact/contacts?keywords=\(identityId.prefix(13))")) == ["Alice"])
            #expect(try api.names(try await api.get("/contact/contacts?contactIdentityType=sms&sortBy=name")) == ["Alice", "Carol"])
            #expect(try api.names(try await api.get("/contact/contacts?contactIdentityType=email&contactIdentityValue=BOB@globex.com")) == ["bob"])
            #expect(try api.names(try await api.get("/contact/contacts?contactIdentityType=SMS&contactIdentityValue=bob@globex.com")).isEmpty)
            #expect(try api.names(try await api.get("/contact/contacts?contactIdentityValue=%2B1%20555%200003")) == ["Carol"])
            #expect(try api.names(try await api.post("/contact/contacts:query", #"{"keywords": "eve"}"#)) == ["Eve"])
            #expect(try await api.get("/contact/contacts", as: AgentDirectory.otherSite).decode(Comm100ContactPage.self).total == 0)
        }
    }

    @Test("Each operator on text, integer, float, date, date-time, checkbox, checkbox list, identities and the contact's own members")
    func operators() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            let cases: [(String, String, String, [String])] = [
                ("company", "Is", "acme", ["Alice"]), ("Company", "is not", "Acme", ["bob", "Carol", "Dave", "Eve"]),
                ("company", "Contains", "ACME", ["Alice", "Carol"]), ("company", "Does Not Contain", "acme", ["bob", "Dave", "Eve"]),
                ("company", "Is", "", ["Dave"]), ("name", "Contains", "o", ["bob", "Carol"]), ("name", "is", "BOB", ["bob"]),
                ("Age", "Is More Than", "30", ["bob", "Dave"]), ("Age", "Is Less Than", "30", ["Carol"]), ("Age", "Is", "45.0", ["bob", "Dave"]),
                ("Age", "Is Not", "45", ["Alice", "Carol", "Eve"]), ("Score", "Is More Than", "1.5", ["bob"]), ("Score", "Is", "1.50", ["Alice"]),
                ("Score", "Is Less Than", "0", ["Dave"]),
                ("Born", "Before", "1990-05-01", ["bob"]), ("Born", "After", "1990-05-01", ["Carol"]), ("Born", "Is", "1990-05-01", ["Alice"]),
                ("Born", "Is Not", "1990-05-01", ["bob", "Carol", "Dave", "Eve"]),
                ("Seen", "Is", "2022-03-18", ["Alice", "bob"]), ("Seen", "After", "2022-03-18T10:00:00Z", ["bob"]),
                ("Seen", "Before", "2022-03-18T10:00:01Z", ["Alice"]), ("Seen", "After", "2022-03-18", []),
                ("VIP", "Is", "true", ["Alice"]), ("VIP", "Is", "false", ["bob", "Carol", "Dave", "Eve"]),
                ("VIP", "Is Not", "yes", ["bob", "Carol", "Dave", "Eve"]),
                ("Topics", "Contains", "sales", ["Alice"]), ("Topics", "Does Not Contain", "support", ["Alice", "Carol", "Dave", "Eve"]),
                ("Topics", "Is", "billing,sales", ["Alice"]),
                ("email", "Contains", "ACME", ["Alice"]), ("email", "Is", "bob@globex.com", ["bob"]), ("SMS", "Is", "+1 555 0003", ["Carol"]),
                ("email", "Does Not Contain", "acme", ["bob", "Carol", "Dave", "Eve"]),
                ("SMS", "Is Not", "+15550001", ["bob", "Carol", "Dave", "Eve"]),
                ("SMS", "Is", "", ["bob", "Dave", "Eve"]), ("SMS", "Is Not", "", ["Alice", "Carol"]),
                ("createTime", "After", "2000-01-01", ["Alice", "bob", "Carol", "Dave", "Eve"]), ("lastUpdatedTime", "Before", "2000-01-01", []),
            ]
            for (field, op, value, expected) in cases {
                #expect(try await self.one(api, field, op, value) == expected, "\(field) \(op) '\(value)'")
            }
            let today = ContactTime.dateText(day: ContactTime.day(of: WallClock.epochMilliseconds()))
            let created = try await self.one(api, "createTime", "Is", today)
            #expect(created.count == 5 || created.isEmpty, "created today, unless the day ended during the test")
        }
    }

    @Test("All, any and logical expressions over the conditions' orders (0-based as in L112), PascalCase keys, no conditions match all")
    func combinations() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            let acme = self.condition("company", "Contains", "acme", order: 0)
            let old = self.condition("Age", "Is More Than", "28", order: 1)
            let vip = self.condition("VIP", "Is", "true", order: 2)
            #expect(
                try await self.query(api, #"{"sortBy": "name", "filterConditionMetType": "All", "filterConditions": [\#(acme), \#(old)]}"#) == [
                    "Alice"
                ])
            #expect(
                try await self.query(api, #"{"sortBy": "name", "filterConditionMetType": "any", "filterConditions": [\#(acme), \#(old)]}"#)
                    == ["Alice", "bob", "Carol", "Dave"])
            #expect(
                try await self.query(
                    api,
                    #"{"sortBy": "name", "filterConditionMetType": "LogicalExpression", "filterLogicalExpresssion": "(0 AND NOT 2) OR (1 and not 0)", "filterConditions": [\#(acme), \#(old), \#(vip)]}"#
                ) == ["bob", "Carol", "Dave"])
            #expect(
                try await self.query(
                    api,
                    #"{"sortBy": "name", "filterConditionMetType": "logicalExpression", "filterLogicalExpression": "0 && !(1 || 2)", "filterConditions": [\#(acme), \#(old), \#(vip)]}"#
                ) == ["Carol"])
            let pascal = #"{"FieldName": "company", "Operator": "is", "Value": "Globex", "Order": "0", "id": "6538285a-b00f-4063-b37a-cf14170aaa36"}"#
            #expect(try await self.query(api, #"{"filterConditionMetType": "any", "filterConditions": [\#(pascal)]}"#) == ["bob"])
            #expect(try await self.query(api, #"{"filterConditionMetType": "Any", "filterConditions": []}"#).count == 5)
            #expect(try await self.query(api, "{}").count == 5)
            // Paging and keywords combine with the filter.
            let paged = try await api.post(
                "/contact/contacts:query", #"{"pageSize": 1, "pageIndex": 2, "sortBy": "name", "keywords": "a", "filterConditions": [\#(acme)]}"#)
            let page = try paged.decode(Comm100ContactPage.self)
            #expect(page.total == 2 && page.contacts.map(\.name) == ["Carol"] && page.nextPage == nil)
            let link = try #require(page.previousPage)
            #expect(link.contains("/contact/contacts:query?") && link.contains("pageIndex=1"))
            let again = try await api.send(
                .post, "/contact/contacts%3Aquery?pageIndex=1&pageSize=1",
                #"{"pageSize": 1, "pageIndex": 2, "sortBy": "name", "keywords": "a", "filterConditions": [\#(acme)]}"#)
            #expect(try api.names(again) == ["Alice"])
        }
    }

    @Test("An identity, a value or a name found by its index stays in the site: the same number elsewhere neither matches nor hides")
    func indexedConditionsKeepToTheSite() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            let other = AgentDirectory.otherSite
            try await api.createContact(
                #"{"name": "Carol", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550003"}, {"contactIdentityType": "email", "value": "alice@acme.com"}]}"#,
                as: other)
            let sms = self.condition("SMS", "Is", "+1 555 0003", order: 0)
            let acme = self.condition("company", "Is", "ACME", order: 1)
            let email = self.condition("email", "Is", "alice@acme.com", order: 2)
            let page = { (body: String, agent: AgentDirectory.Agent) in
                try await api.post("/contact/contacts:query", body, as: agent).decode(Comm100ContactPage.self)
            }
            let here = try await page(#"{"sortBy": "name", "filterConditions": [\#(sms)]}"#, AgentDirectory.admin)
            #expect(here.total == 1 && here.contacts.map(\.name) == ["Carol"] && here.contacts[0].customFields["company"] == "Acme Labs")
            let there = try await page(#"{"filterConditions": [\#(sms)]}"#, other)
            #expect(there.total == 1 && there.contacts.first?.id != here.contacts.first?.id)
            let either = try await page(
                #"{"sortBy": "name", "filterConditionMetType": "any", "filterConditions": [\#(sms), \#(acme)]}"#, AgentDirectory.admin)
            #expect(either.total == 2 && either.contacts.map(\.name) == ["Alice", "Carol"])
            let neither = try await page(
                #"{"sortBy": "name", "filterConditionMetType": "logicalExpression", "filterLogicalExpression": "NOT (0 OR 2)", "filterConditions": [\#(sms), \#(acme), \#(email)]}"#,
                AgentDirectory.admin)
            #expect(neither.total == 3 && neither.contacts.map(\.name) == ["bob", "Dave", "Eve"])
            #expect(try await page(#"{"filterConditions": [\#(acme)]}"#, other).total == 0)
            #expect(try await page(#"{"filterConditions": [\#(email)]}"#, other).contacts.map(\.name) == ["Carol"])
            #expect(try await self.query(api, #"{"filterConditions": [\#(self.condition("name", "Is", "CAROL"))]}"#) == ["Carol"])
        }
    }

    @Test("Malformed filters are 400s naming the condition: unknown fields and operators, operators a type lacks, bad values, broken expressions")
    func malformed() async throws {
        try await ContactTestClient.run { api in
            try await Self.seed(api)
            let acme = self.condition("company", "Is", "acme", order: 0)
            let cases: [(String, String)] = [
                (#"{"filterConditions": [\#(self.condition("shoe", "Is", "x"))]}"#, "'filterConditions[0].fieldName' names no contact field"),
                (#"{"filterConditions": [\#(self.condition("company", "Equals", "x"))]}"#, "'filterConditions[0].operator' must be one of"),
                (#"{"filterConditions": [\#(self.condition("company", "Before", "x"))]}"#, "cannot be 'Before' on the text field 'company'"),
                (#"{"filterConditions": [\#(self.condition("Age", "Contains", "4"))]}"#, "cannot be 'Contains'"),
                (#"{"filterConditions": [\#(self.condition("Age", "Is More Than", "old"))]}"#, "must be a number"),
                (#"{"filterConditions": [\#(self.condition("Born", "After", "someday"))]}"#, "must be a date or a date and time"),
                (#"{"filterConditions": [\#(self.condition("VIP", "Is", "maybe"))]}"#, "must be true or false"),
                (#"{"filterConditions": [\#(self.condition("Topics", "Contains", "golf"))]}"#, "holds 'golf'"),
                (#"{"filterConditions": [\#(self.condition("email", "Is More Than", "a"))]}"#, "on the identity 'email'"),
                (#"{"filterConditions": [{"operator": "Is", "value": "x"}]}"#, "'filterConditions[0].fieldName' is required"),
                (#"{"filterConditions": [{"fieldName": "name", "value": "x"}]}"#, "'filterConditions[0].operator' is required"),
                (#"{"filterConditions": [{"fieldName": "name", "operator": "Is"}]}"#, "'filterConditions[0].value' is required"),
                (#"{"filterConditions": [\#(acme), \#(acme)]}"#, "'filterConditions[1].order' repeats the order 0"),
                (#"{"filterConditions": [\#(self.condition("name", "Is", "x", order: -1))]}"#, "must be 0 or more"),
                (
                    #"{"filterConditions": [{"fieldName": "name", "operator": "Is", "value": "x", "order": "first"}]}"#,
                    "'filterConditions[0].order' must be an integer"
                ),
                (
                    #"{"filterConditionMetType": "most", "filterConditions": [\#(acme)]}"#,
                    "'filterConditionMetType' must be all, any or logicalExpression"
                ),
                (#"{"filterConditionMetType": "logicalExpression", "filterConditions": [\#(acme)]}"#, "'filterLogicalExpresssion' is required"),
                (
                    #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "(0 and", "filterConditions": [\#(acme)]}"#,
                    "not a valid logical expression"
                ),
                (
                    #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "0 or 1", "filterConditions": [\#(acme)]}"#,
                    "refers to condition 1"
                ),
                (
                    #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "0 xor 0", "filterConditions": [\#(acme)]}"#,
                    "not a valid logical expression"
                ),
                (
                    #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "0 ; DROP TABLE contacts", "filterConditions": [\#(acme)]}"#,
                    "not a valid logical expression"
                ),
                (#"{"filterConditions": {"fieldName": "name"}}"#, "'filterConditions' must be an array"),
                (#"{"pageSize": 1000}"#, "'pageSize' must be between 0"), (#"{"pageIndex": "two"}"#, "'pageIndex' must be an integer"),
                (#"{"sortBy": "Age"}"#, "'sortBy' must be one of"), (#"{"sortOrder": "sideways"}"#, "'sortOrder'"),
            ]
            for (body, words) in cases {
                let reply = try await api.post("/contact/contacts:query", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.text)")
            }
            #expect(try await api.get("/contact/contacts").decode(Comm100ContactPage.self).total == 5)
        }
    }
}
