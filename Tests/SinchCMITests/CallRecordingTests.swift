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

@Suite("sinch-cmi call recordings and listen log")
struct CallRecordingTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)

    static func recording(_ id: String, call: String, time: String) -> CMICallRecording {
        CMICallRecording(
            id: id, callId: call, contactId: "CC000000000000000000000000000001", ownerId: "0A000000000000000000000000000001",
            ownerType: .user, ownerName: "Smith, Mark", fileName: "100\\2017_07_00\\05_12_01_14_SSR_100_\(call).wav", filePath: "",
            creationTime: time
        )
    }

    static func load(_ recording: CMICallRecording, client: some TestClientProtocol) async throws {
        let response = try await client.execute(
            uri: "/RI/cmi-admin/callRecordings/\(recording.id)", method: .put,
            headers: [.authorization: admin, .contentType: "application/json"], body: ByteBuffer(data: try JSONEncoder().encode(recording))
        )
        #expect(response.status == .noContent)
    }

    @Test("Recordings filter by call, contact and an inclusive creation-time window; the list leaves out listen_log")
    func listing() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.load(
                Self.recording("A0000000000000000000000000000001", call: "CA000000000000000000000000000001", time: "2017-07-01T10:00:00Z"),
                client: client)
            try await Self.load(
                Self.recording("A0000000000000000000000000000002", call: "CA000000000000000000000000000002", time: "2017-07-02T10:00:00.500Z"),
                client: client)
            func ids(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/RI/cmi/callRecordings?\(query)", method: .get, headers: [.authorization: Self.admin])
                #expect(response.status == .ok)
                let recordings = try JSONDecoder().decode([CMICallRecording].self, from: Data(buffer: response.body))
                #expect(recordings.allSatisfy { $0.listenLog == nil })
                return recordings.map(\.id)
            }
            #expect(try await ids("") == ["A0000000000000000000000000000002", "A0000000000000000000000000000001"])
            #expect(try await ids("call_id=CA000000000000000000000000000001") == ["A0000000000000000000000000000001"])
            #expect(try await ids("start_time=2017-07-01T10:00:00.000Z&end_time=2017-07-02T00:00:00Z") == ["A0000000000000000000000000000001"])
            #expect(try await ids("start_time=2017-07-02T10:00:00.500Z") == ["A0000000000000000000000000000002"])
            #expect(try await ids("start_time=2017-07-02T12:00:00.500+02:00") == ["A0000000000000000000000000000002"])  // `+` is no space
            let badTime = try await client.execute(
                uri: "/RI/cmi/callRecordings?start_time=yesterday", method: .get, headers: [.authorization: Self.admin])
            #expect(badTime.status == .badRequest)
            #expect(String(buffer: badTime.body) == "Invalid value for start_time: yesterday")
        }
    }

    @Test("A listen-log entry takes the signed-in user's identity, appears on the recording and in its log, and needs a reason")
    func listenLog() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let recording = Self.recording("A0000000000000000000000000000003", call: "CA000000000000000000000000000003", time: "2017-07-01T10:00:00Z")
            try await Self.load(recording, client: client)
            let posted = try await client.execute(
                uri: "/RI/cmi/callRecordings/\(recording.id)/listenLog", method: .post,
                headers: [.authorization: Self.admin, .contentType: "application/json", .accept: "text/html"],
                body: ByteBuffer(
                    string: #"{"description": "listened because", "userSessionId": "6936084DBA3C4941C80F2CB2E3EC00E3", "user_name": "Somebody Else"}"#
                )
            )
            #expect(posted.status == .created)
            let entryID = String(buffer: posted.body)
            #expect(posted.headers[.location] == "http://localhost/RI/cmi/callRecordings/\(recording.id)/listenLog/\(entryID)")

            let log = try await client.execute(
                uri: "/RI/cmi/callRecordings/\(recording.id)/listenLog", method: .get, headers: [.authorization: Self.admin])
            let entries = try JSONDecoder().decode([CMIListenLog].self, from: Data(buffer: log.body))
            #expect(entries.count == 1)
            #expect(entries[0].userId == "admin" && entries[0].userName == "Administrator" && entries[0].userGuid?.count == 32)
            #expect(entries[0].timeStamp?.hasSuffix("Z") == true)
            let one = try await client.execute(
                uri: "/RI/cmi/callRecordings/\(recording.id)", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            #expect(String(buffer: one.body).contains("<description>listened because</description>"))

            let noReason = try await client.execute(
                uri: "/RI/cmi/callRecordings/\(recording.id)/listenLog", method: .post,
                headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"description": "", "userSessionId": "X"}"#)
            )
            #expect(noReason.status == .badRequest)
            let noSession = try await client.execute(
                uri: "/RI/cmi/callRecordings/\(recording.id)/listenLog", method: .post,
                headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"description": "why"}"#)
            )
            #expect(noSession.status == .badRequest)
            let unknown = try await client.execute(
                uri: "/RI/cmi/callRecordings/A0000000000000000000000000000009/listenLog", method: .post,
                headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"description": "why", "userSessionId": "X"}"#)
            )
            #expect(unknown.status == .notFound)
        }
    }

    @Test("CMI-10: reading recordings, their listen log and posting to it need the LISTEN right (403 without); ADMIN alone is not enough")
    func listenRight() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let recording = Self.recording("A0000000000000000000000000000004", call: "CA000000000000000000000000000004", time: "2017-07-01T10:00:00Z")
            try await Self.load(recording, client: client)
            for (login, rights) in [("listener", ["LISTEN"]), ("supervisor", ["SERVE", "STATISTICS_DETAILS", "ADMIN"])] {
                let user = CMIUserDefinition(
                    guid: login == "listener" ? "BB000000000000000000000000000001" : "BB000000000000000000000000000002", login: login, name: login,
                    language: "en", rights: rights, password: "\(login)-password")
                let defined = try await client.execute(
                    uri: "/RI/cmi-admin/users/\(login)", method: .put, headers: [.authorization: Self.admin, .contentType: "application/json"],
                    body: ByteBuffer(data: try JSONEncoder().encode(user)))
                #expect(defined.status == .noContent)
            }
            let base = "/RI/cmi/callRecordings"
            let entry = #"{"description": "quality check", "userSessionId": "S1"}"#
            func answers(_ login: String) async throws -> [HTTPResponse.Status] {
                var statuses: [HTTPResponse.Status] = []
                for (method, path) in [
                    (HTTPRequest.Method.get, base), (.get, "\(base)/\(recording.id)"), (.get, "\(base)/\(recording.id)/listenLog"),
                ] {
                    statuses.append(
                        try await client.execute(uri: path, method: method, headers: [.authorization: basicAuthorization(login, "\(login)-password")])
                            .status)
                }
                let posted = try await client.execute(
                    uri: "\(base)/\(recording.id)/listenLog", method: .post,
                    headers: [.authorization: basicAuthorization(login, "\(login)-password"), .contentType: "application/json"],
                    body: ByteBuffer(string: entry))
                return statuses + [posted.status]
            }
            #expect(try await answers("listener") == [.ok, .ok, .ok, .created])
            #expect(try await answers("supervisor") == [.forbidden, .forbidden, .forbidden, .forbidden])
            let refused = try await client.execute(
                uri: base, method: .get, headers: [.authorization: basicAuthorization("supervisor", "supervisor-password")])
            #expect(String(buffer: refused.body) == "The LISTEN right is required.")
            // The refused POST wrote nothing: the log holds the listener's entry only.
            let log = try await client.execute(uri: "\(base)/\(recording.id)/listenLog", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMIListenLog].self, from: Data(buffer: log.body)).map(\.userId) == ["listener"])
        }
    }
}
