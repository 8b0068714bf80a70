import Carriers
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A site's channel account as the rest of outreach-contact reads it: the number it sends from and its carrier.
struct ChannelAccount: Sendable, Equatable {
    var id: UUID
    var name: String
    var channel: String
    var carrier: CarrierKind
    var from: String
}

/// A channel account with what only the unichannel reads: its credentials (never answered) and callback secret.
struct ChannelAccountRecord: Sendable, Equatable {
    var id: String
    var site: String
    var name: String
    var channel: String
    var carrier: CarrierKind
    var from: String
    var credentials: CarrierCredentials
    var callbackSecret: String
    var createTime: Int64
    var lastUpdatedTime: Int64
    /// When the site deleted it; a deleted account only checks the reports of the messages it sent (decision 217).
    var deletedTime: Int64? = nil

    /// Nil for a row whose id is not a GUID (none this service writes): never an invented id.
    var account: ChannelAccount? {
        UUID(uuidString: self.id).map { ChannelAccount(id: $0, name: self.name, channel: self.channel, carrier: self.carrier, from: self.from) }
    }

    /// The credential members that are stored, by name; their values never leave the service.
    var credentialsSet: [String] {
        let members: [(String, String?)] = [
            ("accountSID", self.credentials.accountSID), ("authToken", self.credentials.authToken), ("apiKey", self.credentials.apiKey),
            ("messagingProfileID", self.credentials.messagingProfileID), ("webhookPublicKey", self.credentials.webhookPublicKey),
        ]
        return members.filter { !($0.1 ?? "").isEmpty }.map(\.0)
    }

    var wire: Comm100ChannelAccount {
        Comm100ChannelAccount(
            id: self.id, name: self.name, channel: self.channel, carrier: self.carrier.rawValue, from: self.from, credentialsSet: self.credentialsSet,
            callbackSecret: self.callbackSecret, createTime: ContactTime.format(self.createTime),
            lastUpdatedTime: ContactTime.format(self.lastUpdatedTime))
    }
}

/// The `channel_accounts` table, on the caller's transaction.
struct ChannelAccountStore: Sendable {
    /// The site's channel account `id`, or nil when the site has none by that id.
    func channelAccount(id: UUID, site: String, in tx: Tx) async throws -> ChannelAccount? {
        try await self.record(id: id.uuidString.lowercased(), site: site, in: tx)?.account
    }

    /// The site's channel account `id` with its credentials, or nil.
    func record(id: String, site: String, in tx: Tx) async throws -> ChannelAccountRecord? {
        try await tx.sql.select().column("*").from("channel_accounts").where("id", .equal, id).where("site_id", .equal, site)
            .where("deleted_time", .is, SQLLiteral.null).first(ChannelAccountRow.self)?.record(secrets: tx.secrets)
    }

    /// The channel account `id` of whichever site holds it, deleted or not: for the carriers' callbacks, which come
    /// without a site and are scoped by the account itself, and still arrive for messages sent before a deletion.
    func record(id: String, in tx: Tx) async throws -> ChannelAccountRecord? {
        try await tx.sql.select().column("*").from("channel_accounts").where("id", .equal, id).first(ChannelAccountRow.self)?
            .record(secrets: tx.secrets)
    }

    /// The channel accounts `ids` of whichever sites hold them, by id, not deleted (the dispatcher reads a batch's at once).
    func records(ids: [String], in tx: Tx) async throws -> [String: ChannelAccountRecord] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await tx.sql.select().column("*").from("channel_accounts").where("id", .in, ids).where("deleted_time", .is, SQLLiteral.null)
            .all(ChannelAccountRow.self)
        return Dictionary(try rows.compactMap { try $0.record(secrets: tx.secrets) }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The site's channel accounts, oldest first.
    func records(site: String, in tx: Tx) async throws -> [ChannelAccountRecord] {
        try await tx.sql.select().column("*").from("channel_accounts").where("site_id", .equal, site).where("deleted_time", .is, SQLLiteral.null)
            .orderBy("create_time").orderBy("id")
            .all(ChannelAccountRow.self).compactMap { try $0.record(secrets: tx.secrets) }
    }

    func insert(_ record: ChannelAccountRecord, in tx: Tx) async throws {
        try await tx.sql.insert(into: "channel_accounts").row(try ChannelAccountRow(record, secrets: tx.secrets)).run()
    }

    func update(_ record: ChannelAccountRecord, in tx: Tx) async throws {
        try await tx.sql.update("channel_accounts").set(row: try ChannelAccountRow(record, secrets: tx.secrets)).where("id", .equal, record.id)
            .where("site_id", .equal, record.site).run()
    }

    /// Marks the account deleted (its keys stay, for the reports still to come); returns whether the site had it.
    func delete(id: String, site: String, now: Int64, in tx: Tx) async throws -> Bool {
        try await tx.sql.update("channel_accounts").set("deleted_time", to: now).where("id", .equal, id).where("site_id", .equal, site)
            .where("deleted_time", .is, SQLLiteral.null).returning("id").first(ChannelAccountIDRow.self) != nil
    }

    /// Seals the credentials of rows stored before they were sealed (decision 239); returns how many. Runs at start-up.
    func sealStoredCredentials(in tx: Tx) async throws -> Int {
        let rows = try await tx.sql.select().column("id").column("credentials").from("channel_accounts")
            .where("credentials", .notLike, SecretBox.prefix + "%").all(ChannelAccountCredentialsRow.self)
        for row in rows {
            let sealed = try tx.secrets.seal(Data(row.credentials.utf8), context: ChannelAccountRow.credentialsContext(id: row.id))
            try await tx.sql.update("channel_accounts").set("credentials", to: sealed).where("id", .equal, row.id)
                .where("credentials", .equal, row.credentials).run()
        }
        return rows.count
    }
}

/// A `channel_accounts` row; the credentials are a JSON object read and written whole, sealed under the service's
/// key (`tx.secrets`, decision 239). A row stored before sealing holds the plain JSON, which still reads.
struct ChannelAccountRow: Codable, Sendable {
    var id, siteId, name, channel, carrier, fromAddress, credentials, callbackSecret: String
    var createTime, lastUpdatedTime: Int64
    var deletedTime: Int64?

    /// One coder each for every row (JSONEncoder and JSONDecoder are safe to share).
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()

    /// Where a row's sealed credentials belong: a sealed value copied onto another account does not open.
    static func credentialsContext(id: String) -> String {
        "channel_accounts.credentials/\(id)"
    }

    init(_ record: ChannelAccountRecord, secrets: SecretBox) throws {
        self.id = record.id
        self.siteId = record.site
        self.name = record.name
        self.channel = record.channel
        self.carrier = record.carrier.rawValue
        self.fromAddress = record.from
        self.credentials = try secrets.seal(try Self.encoder.encode(record.credentials), context: Self.credentialsContext(id: record.id))
        self.callbackSecret = record.callbackSecret
        self.createTime = record.createTime
        self.lastUpdatedTime = record.lastUpdatedTime
        self.deletedTime = record.deletedTime
    }

    /// Nil for a row no release of this service writes (an unknown carrier). Credentials that do not open under the
    /// service's key (another `secrets.key`, an altered value) throw a ``SecretBoxError`` saying so.
    func record(secrets: SecretBox) throws -> ChannelAccountRecord? {
        guard let carrier = CarrierKind(rawValue: self.carrier) else { return nil }
        let json =
            SecretBox.isSealed(self.credentials)
            ? try secrets.open(self.credentials, context: Self.credentialsContext(id: self.id)) : Data(self.credentials.utf8)
        let credentials = (try? Self.decoder.decode(CarrierCredentials.self, from: json)) ?? CarrierCredentials()
        return ChannelAccountRecord(
            id: self.id, site: self.siteId, name: self.name, channel: self.channel, carrier: carrier, from: self.fromAddress,
            credentials: credentials,
            callbackSecret: self.callbackSecret, createTime: self.createTime, lastUpdatedTime: self.lastUpdatedTime, deletedTime: self.deletedTime)
    }
}

/// A row's id and stored credentials, as start-up seals those stored before sealing.
struct ChannelAccountCredentialsRow: Decodable {
    var id, credentials: String
}

/// What `RETURNING id` gives back of a `CHAR(36)` id.
struct ChannelAccountIDRow: Decodable {
    var id: String
}
