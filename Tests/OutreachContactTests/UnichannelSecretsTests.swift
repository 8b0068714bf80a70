import Carriers
import Configuration
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import SQLKit
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// Channel-account credentials sealed at rest (decision 239): under `secrets.key`, or a key file generated once in
/// `data.dir`; rows stored before sealing still read and are sealed at start-up; a wrong key is a clear error.
@Suite("Outbound Unichannel: credentials sealed at rest")
struct UnichannelSecretsTests {
    static let token = "tok-PLAIN-secret-4242"
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let account =
        #"{"name": "Sealed", "carrier": "twilio", "from": "+15550001111", "credentials": {"accountSID": "\#(sid)", "authToken": "\#(token)"}}"#

    static func key(_ byte: UInt8) -> ConfigValue {
        .init(.string(Data(repeating: byte, count: 32).base64EncodedString()), isSecret: true)
    }

    /// A database every app of a test opens again (a SQLite file in `directory`, or a fresh PostgreSQL schema), with
    /// `directory` as `data.dir`.
    static func sharedDatabase(in directory: URL) -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = ["data.dir": .init(.string(directory.path), isSecret: false)]
        if TestConfiguration.databaseURL.hasPrefix("postgres") {
            values["db.schema"] = .init(
                .string("t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)), isSecret: false)
        } else {
            values["db.url"] = .init(.string("sqlite:\(directory.appendingPathComponent("outreach-contact.sqlite").path)"), isSecret: true)
        }
        return values
    }

    /// Runs `body` with a fresh directory, removed afterwards.
    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    struct CredentialsRow: Decodable {
        var id: String
        var credentials: String
    }

    /// The stored rows of `channel_accounts`, and what `ChannelAccountStore` reads of `id`, on a second handle of the
    /// database with `values`' key.
    static func stored(_ values: [AbsoluteConfigKey: ConfigValue], id: String) async throws -> ([CredentialsRow], ChannelAccountRecord?) {
        let database = try Database(
            settings: DatabaseSettings(reader: TestConfiguration.reader(values), name: "outreach-contact"), logger: TestConfiguration.logger)
        return try await database.withRunning {
            try await database.read { tx in
                let rows = try await tx.sql.select().column("id").column("credentials").from("channel_accounts").all(CredentialsRow.self)
                return (rows, try await ChannelAccountStore().record(id: id, in: tx))
            }
        }
    }

    /// Runs outreach-contact on `values` for `body` (one start of the service: migrations, then start-up sealing).
    static func start(_ values: [AbsoluteConfigKey: ConfigValue], _ body: @Sendable (ContactTestClient) async throws -> Void) async throws {
        try await OutreachTestApp.run(values, body)
    }

    @Test("Under secrets.key the row holds no plain credential; a restart with the same key reads them; another key is a clear error")
    func sealedUnderConfiguredKey() async throws {
        try await Self.withDirectory { directory in
            let values = Self.sharedDatabase(in: directory).merging(["secrets.key": Self.key(1)]) { $1 }
            let accountID = NIOLockedValueBox("")
            try await Self.start(values) { api in
                let created = try await api.post("/outboundunichannel/channelAccounts", Self.account)
                #expect(created.status == .created)
                let id = try created.decode(Comm100ChannelAccount.self).id
                accountID.withLockedValue { $0 = id }
            }
            let id = accountID.withLockedValue { $0 }
            let (rows, record) = try await Self.stored(values, id: id)
            let row = try #require(rows.first { $0.id == id })
            #expect(row.credentials.hasPrefix(SecretBox.prefix))
            #expect(!row.credentials.contains(Self.token) && !row.credentials.contains(Self.sid) && !row.credentials.contains("authToken"))
            #expect(record?.credentials.authToken == Self.token && record?.credentials.accountSID == Self.sid)
            // No key file: the configured key is the only one.
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("outreach-contact.key").path))

            // Restarted with the same key: the account reads, and a partial update keeps the sealed token.
            try await Self.start(values) { api in
                let fetched = try await api.get("/outboundunichannel/channelAccounts/\(id)")
                #expect(try fetched.decode(Comm100ChannelAccount.self).credentialsSet == ["accountSID", "authToken"])
                #expect(try await api.put("/outboundunichannel/channelAccounts/\(id)", #"{"name": "Renamed"}"#).status == .ok)
            }
            #expect(try await Self.stored(values, id: id).1?.credentials.authToken == Self.token)

            // Another key: the store says which keys differ (never a crash); the API answers a 500 and stays up.
            let wrong = values.merging(["secrets.key": Self.key(2)]) { $1 }
            let error = await #expect(throws: SecretBoxError.self) { try await Self.stored(wrong, id: id) }
            #expect(error?.description.contains("secrets.key") == true)
            try await Self.start(wrong) { api in
                let unreadable = try await api.get("/outboundunichannel/channelAccounts/\(id)")
                #expect(unreadable.status == .internalServerError && !unreadable.text.contains(Self.token))
                let fields = try await api.get("/contact/fields")
                #expect(fields.status == .ok)
            }
        }
    }

    @Test("Without secrets.key a key file is generated once in data.dir (mode 0600) and read again after a restart")
    func keyFileInDataDirectory() async throws {
        try await Self.withDirectory { directory in
            let values = Self.sharedDatabase(in: directory)
            let keyFile = directory.appendingPathComponent("outreach-contact.key").path
            let accountID = NIOLockedValueBox("")
            try await Self.start(values) { api in
                let created = try await api.post("/outboundunichannel/channelAccounts", Self.account)
                let id = try created.decode(Comm100ChannelAccount.self).id
                accountID.withLockedValue { $0 = id }
            }
            let key = try #require(FileManager.default.contents(atPath: keyFile))
            #expect(Data(base64Encoded: String(decoding: key, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
            let permissions = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            let (rows, record) = try await Self.stored(values, id: accountID.withLockedValue { $0 })
            #expect(rows.count == 1 && rows.allSatisfy { $0.credentials.hasPrefix(SecretBox.prefix) && !$0.credentials.contains(Self.token) })
            #expect(record?.credentials.authToken == Self.token)
            try await Self.start(values) { api in
                let second = try await api.post("/outboundunichannel/channelAccounts", Self.account)
                #expect(second.status == .created)
                #expect(try await api.get("/outboundunichannel/channelAccounts").decode([Comm100ChannelAccount].self).count == 2)
            }
            #expect(FileManager.default.contents(atPath: keyFile) == key)
        }
    }

    @Test("A row stored before sealing still reads, and the next start seals it")
    func unsealedRowsAreSealedAtStart() async throws {
        try await Self.withDirectory { directory in
            let values = Self.sharedDatabase(in: directory).merging(["secrets.key": Self.key(3)]) { $1 }
            let accountID = NIOLockedValueBox("")
            try await Self.start(values) { api in
                let created = try await api.post("/outboundunichannel/channelAccounts", Self.account)
                accountID.withLockedValue { $0 = (try? created.decode(Comm100ChannelAccount.self).id) ?? "" }
            }
            let id = accountID.withLockedValue { $0 }
            // As an earlier release stored it: the credentials as plain JSON.
            let plain = #"{"accountSID":"\#(Self.sid)","authToken":"\#(Self.token)"}"#
            let database = try Database(
                settings: DatabaseSettings(reader: TestConfiguration.reader(values), name: "outreach-contact"), logger: TestConfiguration.logger)
            try await database.withRunning {
                try await database.transaction { tx in
                    try await tx.sql.update("channel_accounts").set("credentials", to: plain).where("id", .equal, id).run()
                    #expect(try await ChannelAccountStore().record(id: id, in: tx)?.credentials.authToken == Self.token)
                }
            }
            #expect(try await Self.stored(values, id: id).0.first?.credentials == plain)
            try await Self.start(values) { api in
                let fetched = try await api.get("/outboundunichannel/channelAccounts/\(id)").decode(Comm100ChannelAccount.self)
                #expect(fetched.credentialsSet.count == 2)
            }
            let (rows, record) = try await Self.stored(values, id: id)
            #expect(rows.first?.credentials.hasPrefix(SecretBox.prefix) == true && rows.first?.credentials.contains(Self.token) == false)
            #expect(record?.credentials.authToken == Self.token)
        }
    }

    @Test("A sealed value opens only under its key and for its own row; secrets.key must be base64 of 32 bytes")
    func sealedValuesAreBound() async throws {
        let values = TestConfiguration.values(["db.url": .init(.string("sqlite::memory:"), isSecret: true), "secrets.key": Self.key(4)])
        let database = try Database(settings: DatabaseSettings(reader: TestConfiguration.reader(values), name: "t"), logger: TestConfiguration.logger)
        // Run, so its connection is closed when done.
        try await database.withRunning {
            let sealed = try database.secrets.seal(Data("hello".utf8), context: "channel_accounts.credentials/a")
            #expect(try database.secrets.open(sealed, context: "channel_accounts.credentials/a") == Data("hello".utf8))
            #expect(throws: SecretBoxError.self) { try database.secrets.open(sealed, context: "channel_accounts.credentials/b") }
            var altered = Array(sealed)
            altered[altered.count - 3] = altered[altered.count - 3] == "A" ? "B" : "A"
            #expect(throws: SecretBoxError.self) { try database.secrets.open(String(altered), context: "channel_accounts.credentials/a") }
        }
        for bad in ["c2hvcnQ=", String(repeating: "!", count: 44)] {
            let settings = DatabaseSettings(reader: TestConfiguration.reader(["secrets.key": .init(.string(bad), isSecret: true)]), name: "t")
            let error = #expect(throws: SecretBoxError.self) { try Database(settings: settings, logger: TestConfiguration.logger) }
            #expect(error?.description == "secrets.key must be base64 of 32 bytes")
        }
    }
}
