import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import SinchCMI

@Suite("sinch-cmi emails and script results")
struct EmailAndScriptResultTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)

    static let email = CMIEmail(
        id: "50753BBE49774211AC8286DBCBE17741",
        fromQueue: CMIQueueRef(id: "97C9F85A2F55484198FD908C6A97FA7D", name: "Direct Sales"),
        channelType: "email", channelSubType: "inbound", type: .emailIn, typeDetails: "EMAIL", status: "handled", statusDetails: "Handled",
        caseId: "68108", cid: "CID0DCB56DFCC80", title: "Sinch CCtr RI order", content: "<p>Hey,</p>",
        attachments: [
            CMIAttachmentInfo(
                id: "064C7F3C69A64566A0D661ADB0DC0153", filename: "Help.pdf", mimeType: "application/pdf", size: 440721, originator: .customer)
        ],
        originator: "Mr.Boss@Big.Company.corp", destination: "sales@bcmtr.bcm.corp",
        fromAddress: CMIEmailAddress(name: "Mr. Boss", address: "Mr.Boss@Big.Company.corp"),
        toAddress: [CMIEmailAddress(name: "Sales", address: "sales@bcmtr.bcm.corp")],
        dateCreated: "2017-02-23T11:49:09.340Z"
    )

    static func load(_ email: CMIEmail, client: some TestClientProtocol) async throws {
        let response = try await client.execute(
            uri: "/RI/cmi-admin/emails/\(email.id)", method: .put,
            headers: [.authorization: admin, .contentType: "application/json"], body: ByteBuffer(data: try JSONEncoder().encode(email))
        )
        #expect(response.status == .noContent)
    }

    @Test("Loaded emails come back in JSON as loaded, filtered by case_id and cid, limited, and translated")
    func emailsInJSON() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.load(Self.email, client: client)
            var other = Self.email
            other.id = "AA753BBE49774211AC8286DBCBE17741"
            other.caseId = "21180"
            other.dateCreated = "2017-03-01T10:00:00.000Z"
            try await Self.load(other, client: client)

            let all = try await client.execute(
                uri: "/RI/cmi/emails", method: .get, headers: [.authorization: Self.admin, .accept: "application/json"])
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "application/json")
            let emails = try JSONDecoder().decode([CMIEmail].self, from: Data(buffer: all.body))
            #expect(emails.map(\.id) == [other.id, Self.email.id])  // newest first
            #expect(emails[1] == Self.email)

            let byCase = try await client.execute(uri: "/RI/cmi/emails?case_id=68108", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMIEmail].self, from: Data(buffer: byCase.body)).map(\.id) == [Self.email.id])
            let limited = try await client.execute(uri: "/RI/cmi/emails?limit=1", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMIEmail].self, from: Data(buffer: limited.body)).count == 1)

            let finnish = try await client.execute(
                uri: "/RI/cmi/emails/\(Self.email.id)?language=FI", method: .get, headers: [.authorization: Self.admin])
            let translated = try JSONDecoder().decode(CMIEmail.self, from: Data(buffer: finnish.body))
            #expect(translated.statusDetails == "Käsitelty")
            #expect(translated.typeDetails == "Sähköposti")
            let unknownLanguage = try await client.execute(
                uri: "/RI/cmi/emails/\(Self.email.id)?language=xx", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode(CMIEmail.self, from: Data(buffer: unknownLanguage.body)).statusDetails == "Handled")
        }
    }

    @Test("Emails in XML: a list of <email> elements, loadable from an XML body too")
    func emailsInXML() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.load(Self.email, client: client)
            let list = try await client.execute(
                uri: "/RI/cmi/emails", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            #expect(list.status == .ok)
            #expect(list.headers[.contentType] == "application/xml")
            let xml = String(buffer: list.body)
            #expect(xml.contains("<emails><email>"))
            #expect(xml.contains("<case_id>68108</case_id>"))

            let one = try await client.execute(
                uri: "/RI/cmi/emails/\(Self.email.id)", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            let single = String(buffer: one.body)
            #expect(single.contains("<email>") && single.contains("<id>50753BBE49774211AC8286DBCBE17741</id>"))

            // The XML a GET returns loads back unchanged.
            let reloaded = try await client.execute(
                uri: "/RI/cmi-admin/emails/\(Self.email.id)", method: .put,
                headers: [.authorization: Self.admin, .contentType: "application/xml"], body: one.body
            )
            #expect(reloaded.status == .noContent)
            let again = try await client.execute(uri: "/RI/cmi/emails/\(Self.email.id)", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode(CMIEmail.self, from: Data(buffer: again.body)) == Self.email)
        }
    }

    @Test("Errors as the seed shows them: Invalid GUID, HTTP 404 Not Found, 406, 415, 401 and a bad limit")
    func errors() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let malformed = try await client.execute(
                uri: "/RI/cmi/emails/2B8ED95B0EC911E79675005056A75D9", method: .get, headers: [.authorization: Self.admin])
            #expect(malformed.status == .badRequest)
            #expect(String(buffer: malformed.body) == "Invalid GUID: '2B8ED95B0EC911E79675005056A75D9'")
            #expect(malformed.headers[.contentType] == "text/plain")

            let unknown = try await client.execute(
                uri: "/RI/cmi/emails/2B8ED95B0EC911E79675005056A75D9A", method: .get, headers: [.authorization: Self.admin])
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body) == "HTTP 404 Not Found")

            let csv = try await client.execute(uri: "/RI/cmi/emails", method: .get, headers: [.authorization: Self.admin, .accept: "text/csv"])
            #expect(csv.status == .notAcceptable)
            let badLimit = try await client.execute(uri: "/RI/cmi/emails?limit=0", method: .get, headers: [.authorization: Self.admin])
            #expect(badLimit.status == .badRequest)
            #expect(String(buffer: badLimit.body) == "Invalid value for limit: 0")
            let badFilter = try await client.execute(
                uri: "/RI/cmi/scriptResults?contact_id=nope", method: .get, headers: [.authorization: Self.admin])
            #expect(String(buffer: badFilter.body) == "Invalid GUID: 'nope'")

            let plain = try await client.execute(
                uri: "/RI/cmi-admin/emails/\(Self.email.id)", method: .put, headers: [.authorization: Self.admin, .contentType: "text/plain"],
                body: ByteBuffer(string: "x")
            )
            #expect(plain.status == .unsupportedMediaType)
            let anonymous = try await client.execute(uri: "/RI/cmi/emails", method: .get)
            #expect(anonymous.status == .unauthorized)
            let wrongPassword = try await client.execute(
                uri: "/RI/cmi/emails", method: .get, headers: [.authorization: basicAuthorization("admin", "nope")])
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.headers[.wwwAuthenticate] == "Basic realm=\"CMI\"")
        }
    }

    @Test("Script results are found by contact and by original contact")
    func scriptResults() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let result = CMIScriptResult(
                id: "11111111111111111111111111111111", scriptId: "22222222222222222222222222222222", name: "Simple car selector",
                contactId: "33333333333333333333333333333333", originalcontactId: "44444444444444444444444444444444",
                modificationtime: "2017-02-23T11:49:09.340Z",
                scriptquestions: [
                    CMIScriptResultQuestion(
                        id: "55555555555555555555555555555555", data: "Current Car", controltype: "multicombobox", datatype: "text", ordinal: 1,
                        scriptanswers: [CMIScriptResultAnswer(id: "66666666666666666666666666666666", answerdata: "Volvo", ordinal: 1)]
                    )
                ]
            )
            let stored = try await client.execute(
                uri: "/RI/cmi-admin/scriptResults/\(result.id)", method: .put,
                headers: [.authorization: Self.admin, .contentType: "application/json"], body: ByteBuffer(data: try JSONEncoder().encode(result))
            )
            #expect(stored.status == .noContent)
            for query in ["contact_id=33333333333333333333333333333333", "originalcontact_id=44444444444444444444444444444444", ""] {
                let response = try await client.execute(uri: "/RI/cmi/scriptResults?\(query)", method: .get, headers: [.authorization: Self.admin])
                #expect(try JSONDecoder().decode([CMIScriptResult].self, from: Data(buffer: response.body)) == [result])
            }
            let none = try await client.execute(
                uri: "/RI/cmi/scriptResults?contact_id=44444444444444444444444444444444", method: .get, headers: [.authorization: Self.admin])
            #expect(String(buffer: none.body) == "[]")
            let xml = try await client.execute(
                uri: "/RI/cmi/scriptResults/\(result.id)", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            #expect(String(buffer: xml.body).contains("<scriptResult>"))
            #expect(String(buffer: xml.body).contains("<answerdata>Volvo</answerdata>"))
        }
    }
}
