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

@Suite("Contact API: sizes and shapes no store or parser takes are 400s, never 500s")
struct ContactLimitTests {
    @Test("Too many identities, conditions, ids; pages, orders and numbers out of range; expressions nested or long beyond bounds")
    func limits() async throws {
        try await ContactTestClient.run { api in
            let identities = (0..<101).map { #"{"contactIdentityType": "SMS", "value": "+1555\#(100000 + $0)"}"# }.joined(separator: ",")
            let many = try await api.post("/contact/contacts", #"{"name": "A", "contactIdentities": [\#(identities)]}"#)
            #expect(many.status == .badRequest && many.message.contains("at most 100 identities"), "\(many.text)")
            let condition = #"{"fieldName": "name", "operator": "Is", "value": "x"}"#
            let conditions = Array(repeating: condition, count: 101).joined(separator: ",")
            let tooMany = try await api.post("/contact/contacts:query", #"{"filterConditions": [\#(conditions)]}"#)
            #expect(tooMany.status == .badRequest && tooMany.message.contains("at most 100 conditions"))
            let deep = String(repeating: "(", count: 500) + "0" + String(repeating: ")", count: 500)
            let chain = (0..<400).map { _ in "0" }.joined(separator: " and ")
            let nots = String(repeating: "!", count: 300) + "0"
            for expression in [deep, chain, nots, "0" + String(repeating: " ", count: 3000) + "or 0"] {
                let reply = try await api.post(
                    "/contact/contacts:query",
                    #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "\#(expression)", "filterConditions": [\#(condition)]}"#
                )
                #expect(reply.status == .badRequest && reply.message.contains("too long or nested too deeply"), "\(reply.text.prefix(200))")
            }
            // Just inside the bounds still runs, in SQL.
            let nested =
                String(repeating: "(", count: 20) + "0" + String(repeating: ")", count: 20) + " and "
                + (0..<90).map { _ in "0" }.joined(separator: " or ")
            let inside = try await api.post(
                "/contact/contacts:query",
                #"{"filterConditionMetType": "logicalExpression", "filterLogicalExpresssion": "\#(nested)", "filterConditions": [\#(condition)]}"#)
            #expect(inside.status == .ok, "\(inside.text)")
            let hundred = try await api.post(
                "/contact/contacts:query",
                #"{"filterConditionMetType": "any", "filterConditions": [\#(Array(repeating: condition, count: 100).enumerated().map { #"{"fieldName": "name", "operator": "Contains", "value": "x", "order": \#($0.offset)}"# }.joined(separator: ","))]}"#
            )
            #expect(hundred.status == .ok, "\(hundred.text)")
            for (path, words) in [
                ("/contact/contacts?pageIndex=9223372036854775807", "'pageIndex' must be between 1 and 1000000"),
                ("/contact/contacts?pageIndex=99999999999999999999", "'pageIndex' must be an integer"),
            ] {
                let reply = try await api.get(path)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(path): \(reply.text)")
            }
            let bigIndex = try await api.post("/contact/contacts:query", #"{"pageIndex": 9223372036854775807}"#)
            #expect(bigIndex.status == .badRequest && bigIndex.message.contains("'pageIndex'"))
            let ids = (0..<1001).map { _ in UUID().uuidString }.joined(separator: ",")
            let batch = try await api.delete(
                "/contact/contacts", #"{"ids": [\#(ids.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ","))]}"#)
            #expect(batch.status == .badRequest && batch.message.contains("at most 1000"))
            for body in [
                #"{"name": "F", "type": "text", "order": 2147483648}"#, #"{"name": "F", "type": "text", "order": -9999999}"#,
                #"{"name": "F", "type": "radio", "fieldOptions": [{"value": "a", "order": 9999999999}]}"#,
            ] {
                let reply = try await api.post("/contact/fields", body)
                #expect(reply.status == .badRequest && reply.message.contains("must be between -1000000 and 1000000"), "\(body): \(reply.text)")
            }
            let huge = try await api.post("/contact/fields", #"{"name": "F", "type": "text", "order": 99999999999999999999999}"#)
            #expect(huge.status == .badRequest, "\(huge.text)")
            // Text PostgreSQL and Swift count differently: 256 characters of many code points each.
            let zalgo = String(repeating: "e\u{301}\u{302}\u{303}", count: 256)
            let combining = try await api.post(
                "/contact/contacts", #"{"name": "\#(zalgo)", "contactIdentities": [{"contactIdentityType": "twitter", "value": "\#(zalgo)"}]}"#)
            #expect(combining.status == .badRequest && combining.message.contains("longer than 256"), "\(combining.text.prefix(200))")
            let accented = String(repeating: "é", count: 256)
            let fits = try await api.post(
                "/contact/contacts", #"{"name": "\#(accented)", "contactIdentities": [{"contactIdentityType": "twitter", "value": "\#(accented)"}]}"#)
            #expect(fits.status == .created, "\(fits.text.prefix(200))")
            #expect(
                try await api.post("/contact/contacts", #"{"name": "\#(String(repeating: "x", count: 257))", "contactIdentities": []}"#).status
                    == .badRequest)
        }
    }

    @Test("pageSize=0 returns every match on one page, however many there are")
    func allOnOnePage() async throws {
        try await ContactTestClient.run { api in
            for index in 0..<12 {
                try await api.createContact(
                    #"{"name": "C\#(index)", "contactIdentities": [{"contactIdentityType": "email", "value": "c\#(index)@example.com"}]}"#)
            }
            let page = try await api.get("/contact/contacts?pageSize=0").decode(Comm100ContactPage.self)
            #expect(page.total == 12 && page.contacts.count == 12 && page.contacts.allSatisfy { $0.contactIdentities.count == 1 })
        }
    }
}
