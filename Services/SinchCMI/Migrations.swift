import Foundation
import SQLKit
import ServiceKit
import WireModels

/// sinch-cmi's schema: a table per object, a column per member; the nested lists an object is read and written with
/// (an email's addresses and attachments, a chat's transcript, a message's destinations) are JSON text in its row.
enum SinchMigrations {
    static let all: [Migration] = [
        Migration(
            "sinch-001-users",
            statements: [
                """
                CREATE TABLE users (
                    guid VARCHAR(36) PRIMARY KEY, login VARCHAR(200) NOT NULL UNIQUE, name VARCHAR(200) NOT NULL,
                    language VARCHAR(16) NOT NULL, rights TEXT NOT NULL, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL
                )
                """
            ]),
        Migration(
            "sinch-003-customer-consents",
            statements: [
                """
                CREATE TABLE customer_consents (
                    usage VARCHAR(16) NOT NULL, address VARCHAR(256) NOT NULL, consent BOOLEAN NOT NULL, PRIMARY KEY (usage, address)
                )
                """
            ]),
        Migration("sinch-009-relational") { sql, _ in
            // Databases made before this release hold JSON documents (migrations 002 and 004–008): read, dropped, moved over.
            let legacy = try await sql.select().column("id").from("_migrations").where("id", .equal, "sinch-002-emails-script-results").first() != nil
            let move: (any SQLDatabase) async throws -> Void = legacy ? try await legacyDocuments(sql) : { _ in }
            for statement in tables { try await sql.raw(SQLQueryString(statement)).run() }
            try await move(sql)
        },
    ]

    static let tables = [
        """
        CREATE TABLE emails (
            id CHAR(32) PRIMARY KEY, from_queue_id CHAR(32) NOT NULL, from_queue_name VARCHAR(200) NOT NULL, channel_type VARCHAR(32) NOT NULL,
            channel_sub_type VARCHAR(64) NOT NULL, type VARCHAR(16), type_details VARCHAR(64), status VARCHAR(64) NOT NULL, status_details VARCHAR(64),
            case_id VARCHAR(100), cid VARCHAR(100), title TEXT NOT NULL, content TEXT NOT NULL, remarks TEXT, attachments TEXT, originator VARCHAR(256) NOT NULL,
            destination VARCHAR(256) NOT NULL, from_address TEXT NOT NULL, to_address TEXT NOT NULL, cc_address TEXT, bcc_address TEXT, agent_id CHAR(32),
            agent_name VARCHAR(200), date_created VARCHAR(40) NOT NULL
        )
        """,
        "CREATE INDEX emails_case_id ON emails (case_id)",
        "CREATE INDEX emails_cid ON emails (cid)",
        """
        CREATE TABLE script_results (
            id CHAR(32) PRIMARY KEY, script_id CHAR(32) NOT NULL, name VARCHAR(256) NOT NULL, contact_id CHAR(32) NOT NULL,
            originalcontact_id CHAR(32) NOT NULL, modificationtime VARCHAR(40) NOT NULL, scriptquestions TEXT NOT NULL
        )
        """,
        "CREATE INDEX script_results_contact ON script_results (contact_id)",
        "CREATE INDEX script_results_original ON script_results (originalcontact_id)",
        "CREATE TABLE queues (id CHAR(32) PRIMARY KEY, name VARCHAR(200) NOT NULL)",
        "CREATE TABLE queue_addresses (queue_id CHAR(32) NOT NULL REFERENCES queues (id), address VARCHAR(256) NOT NULL, PRIMARY KEY (queue_id, address))",
        "CREATE INDEX queue_addresses_address ON queue_addresses (address)",
        """
        CREATE TABLE chats (
            id CHAR(32) PRIMARY KEY, channel_type VARCHAR(16) NOT NULL, channel_sub_type VARCHAR(64) NOT NULL, type VARCHAR(16), type_details VARCHAR(64),
            status VARCHAR(16), status_details VARCHAR(64), originator VARCHAR(256) NOT NULL, destination VARCHAR(256) NOT NULL, title VARCHAR(256),
            date_created VARCHAR(40) NOT NULL, from_queue_id CHAR(32) NOT NULL, from_queue_name VARCHAR(200) NOT NULL, participants TEXT, transcript TEXT,
            agent_id CHAR(32), agent_name VARCHAR(200)
        )
        """,
        "CREATE INDEX chats_date ON chats (date_created)",
        """
        CREATE TABLE call_recordings (
            id CHAR(32) PRIMARY KEY, call_id CHAR(32) NOT NULL, contact_id CHAR(32) NOT NULL, owner_id CHAR(32) NOT NULL, owner_type VARCHAR(32) NOT NULL,
            owner_name VARCHAR(200) NOT NULL, file_name TEXT NOT NULL, file_path TEXT NOT NULL, creation_time VARCHAR(40) NOT NULL
        )
        """,
        "CREATE INDEX call_recordings_call ON call_recordings (call_id)",
        "CREATE INDEX call_recordings_time ON call_recordings (creation_time)",
        """
        CREATE TABLE listen_log (
            id CHAR(32) PRIMARY KEY, recording_id CHAR(32) NOT NULL, user_guid VARCHAR(36), user_id VARCHAR(200), user_name VARCHAR(200),
            description TEXT NOT NULL, user_session_id VARCHAR(200), time_stamp VARCHAR(40) NOT NULL
        )
        """,
        "CREATE INDEX listen_log_recording ON listen_log (recording_id, time_stamp)",
        """
        CREATE TABLE callbacks (
            id CHAR(32) PRIMARY KEY, callback_queue_number VARCHAR(64) NOT NULL, creation_time VARCHAR(40) NOT NULL, creator_id VARCHAR(36),
            creator_name VARCHAR(200), customer_number VARCHAR(64) NOT NULL, extra_data TEXT, gw_prefix VARCHAR(64), failures INTEGER NOT NULL,
            last_call_time VARCHAR(40), last_result VARCHAR(32), max_calls INTEGER NOT NULL, next_call_time VARCHAR(40), notes TEXT,
            original_queue_number VARCHAR(64) NOT NULL, original_queue_name VARCHAR(200)
        )
        """,
        "CREATE INDEX callbacks_customer ON callbacks (customer_number)",
        "CREATE TABLE settings (id VARCHAR(8) PRIMARY KEY DEFAULT 'cmi', callback_ivr_number VARCHAR(64), callback_max_calls INTEGER)",
        """
        CREATE TABLE messages (
            id CHAR(32) PRIMARY KEY, message TEXT NOT NULL, source VARCHAR(256) NOT NULL, sub_type VARCHAR(64) NOT NULL, send_time VARCHAR(40),
            creation_time VARCHAR(40) NOT NULL, max_retry_count INTEGER NOT NULL, retry_delay INTEGER NOT NULL, content_type VARCHAR(16) NOT NULL,
            destinations TEXT NOT NULL, revision VARCHAR(64) NOT NULL
        )
        """,
        "CREATE INDEX messages_creation ON messages (creation_time)",
        """
        CREATE TABLE contacts (
            id CHAR(32) PRIMARY KEY, contact_group_id VARCHAR(36) NOT NULL, channel VARCHAR(8) NOT NULL, type VARCHAR(16) NOT NULL,
            type_details VARCHAR(64) NOT NULL, subtype VARCHAR(32), status VARCHAR(16) NOT NULL, status_details VARCHAR(64) NOT NULL,
            source VARCHAR(256) NOT NULL, destination VARCHAR(256) NOT NULL, agent_id CHAR(32), agent_name VARCHAR(200), queue_id CHAR(32),
            queue_name VARCHAR(200), subject TEXT, record BOOLEAN, script BOOLEAN, required_agent TEXT, arrival_time VARCHAR(40) NOT NULL,
            disconnect_time VARCHAR(40), connect_time VARCHAR(40), wrap_up_end_time VARCHAR(40), arrival_ms BIGINT NOT NULL, disconnect_ms BIGINT,
            connect_ms BIGINT, wrap_up_end_ms BIGINT, body TEXT, remarks TEXT, case_id VARCHAR(100), creator_id CHAR(32)
        )
        """,
        "CREATE INDEX contacts_arrival ON contacts (arrival_time)",
        "CREATE INDEX contacts_group ON contacts (contact_group_id)",
        "CREATE INDEX contacts_agent ON contacts (agent_id)",
        "CREATE INDEX contacts_queue ON contacts (queue_id)",
    ]

    /// Reads every legacy document and drops the legacy tables (with their indexes); the closure stores the documents
    /// through the repositories once the new tables exist. A one-time move, holding the documents in memory.
    static func legacyDocuments(_ sql: any SQLDatabase) async throws -> (any SQLDatabase) async throws -> Void {
        let moves: [(table: String, store: (LegacyRow, any SQLDatabase) async throws -> Void)] = [
            ("emails", { try await EmailSQLRepository(sql: $1).put($0.decoded()) }),
            ("script_results", { try await ScriptResultSQLRepository(sql: $1).put($0.decoded()) }),
            ("queues", { try await QueueSQLRepository(sql: $1).put($0.decoded()) }),
            ("chats", { try await ChatSQLRepository(sql: $1).put($0.decoded()) }),
            ("call_recordings", { try await CallRecordingSQLRepository(sql: $1).put($0.decoded()) }),
            ("listen_log", { try await CallRecordingSQLRepository(sql: $1).addListenLog($0.decoded(), recordingId: $0.recordingId ?? "") }),
            ("callbacks", { try await CallbackSQLRepository(sql: $1).put($0.decoded()) }),
            ("settings", { try await SettingsSQLRepository(sql: $1).put($0.decoded()) }),
            ("messages", { try await MessageSQLRepository(sql: $1).put(StoredMessage(message: $0.decoded(), revision: $0.revision ?? "")) }),
            (
                "contacts",
                { row, sql in
                    var record: CMIContactRecord = try row.decoded()
                    record.remarks = row.remarks  // the column was the truth
                    try await ContactSQLRepository(sql: sql).put(record)
                }
            ),
        ]
        var rows: [[LegacyRow]] = []
        for move in moves {
            rows.append(try await sql.select().column("*").from(move.table).all(LegacyRow.self))
            try await sql.drop(table: move.table).run()
        }
        return { [rows] sql in
            for (move, rows) in zip(moves, rows) {
                for row in rows { try await move.store(row, sql) }
            }
        }
    }
}

/// A row of a legacy document table: the document, and the columns beside it that were its truth.
struct LegacyRow: Decodable, Sendable {
    var document: String
    var recordingId, revision, remarks: String?

    func decoded<T: Decodable>() throws -> T { try JSONDecoder().decode(T.self, from: Data(self.document.utf8)) }
}
