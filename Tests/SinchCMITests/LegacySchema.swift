import ServiceKit

/// sinch-cmi's document tables as releases before migration 009 made them, for the test that moves them over.
enum LegacySchema {
    static let migrations: [Migration] = [
        Migration(
            "sinch-002-emails-script-results",
            statements: [
                """
                CREATE TABLE emails (
                    id CHAR(32) PRIMARY KEY, case_id VARCHAR(100), cid VARCHAR(100), date_created VARCHAR(40) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX emails_case_id ON emails (case_id)",
                "CREATE INDEX emails_cid ON emails (cid)",
                """
                CREATE TABLE script_results (
                    id CHAR(32) PRIMARY KEY, contact_id CHAR(32) NOT NULL, originalcontact_id CHAR(32) NOT NULL,
                    modificationtime VARCHAR(40) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX script_results_contact ON script_results (contact_id)",
                "CREATE INDEX script_results_original ON script_results (originalcontact_id)",
            ]),
        Migration(
            "sinch-004-queues-chats",
            statements: [
                "CREATE TABLE queues (id CHAR(32) PRIMARY KEY, name VARCHAR(200) NOT NULL, document TEXT NOT NULL)",
                """
                CREATE TABLE chats (
                    id CHAR(32) PRIMARY KEY, originator VARCHAR(256) NOT NULL, channel_sub_type VARCHAR(64) NOT NULL,
                    destination VARCHAR(256) NOT NULL, date_created VARCHAR(40) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX chats_originator ON chats (originator)",
                "CREATE INDEX chats_destination ON chats (destination)",
                "CREATE INDEX chats_date ON chats (date_created)",
            ]),
        Migration(
            "sinch-005-call-recordings",
            statements: [
                """
                CREATE TABLE call_recordings (
                    id CHAR(32) PRIMARY KEY, call_id CHAR(32) NOT NULL, contact_id CHAR(32) NOT NULL, creation_time VARCHAR(40) NOT NULL,
                    document TEXT NOT NULL
                )
                """,
                "CREATE INDEX call_recordings_call ON call_recordings (call_id)",
                "CREATE INDEX call_recordings_contact ON call_recordings (contact_id)",
                "CREATE INDEX call_recordings_time ON call_recordings (creation_time)",
                """
                CREATE TABLE listen_log (
                    id CHAR(32) PRIMARY KEY, recording_id CHAR(32) NOT NULL, time_stamp VARCHAR(40) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX listen_log_recording ON listen_log (recording_id, time_stamp)",
            ]),
        Migration(
            "sinch-006-callbacks-settings",
            statements: [
                """
                CREATE TABLE callbacks (
                    id CHAR(32) PRIMARY KEY, customer_number VARCHAR(64) NOT NULL, creation_time VARCHAR(40) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX callbacks_customer ON callbacks (customer_number)",
                "CREATE TABLE settings (id VARCHAR(64) PRIMARY KEY, document TEXT NOT NULL)",
            ]),
        Migration(
            "sinch-007-messages",
            statements: [
                """
                CREATE TABLE messages (
                    id CHAR(32) PRIMARY KEY, source VARCHAR(256) NOT NULL, sub_type VARCHAR(64) NOT NULL, send_time VARCHAR(40),
                    creation_time VARCHAR(40) NOT NULL, revision VARCHAR(64) NOT NULL, document TEXT NOT NULL
                )
                """,
                "CREATE INDEX messages_creation ON messages (creation_time)",
            ]),
        Migration(
            "sinch-008-contacts",
            statements: [
                """
                CREATE TABLE contacts (
                    id CHAR(32) PRIMARY KEY, contact_group_id VARCHAR(36) NOT NULL, channel VARCHAR(8) NOT NULL, type VARCHAR(16) NOT NULL,
                    type_details VARCHAR(64) NOT NULL, subtype VARCHAR(32), status VARCHAR(16) NOT NULL, status_details VARCHAR(64) NOT NULL,
                    source VARCHAR(256) NOT NULL, destination VARCHAR(256) NOT NULL, agent_id CHAR(32), agent_name VARCHAR(200),
                    queue_id CHAR(32), queue_name VARCHAR(200), subject TEXT, arrival_time VARCHAR(40) NOT NULL, disconnect_time VARCHAR(40),
                    body TEXT, remarks TEXT, case_id VARCHAR(100), document TEXT NOT NULL
                )
                """,
                "CREATE INDEX contacts_arrival ON contacts (arrival_time)",
                "CREATE INDEX contacts_group ON contacts (contact_group_id)",
                "CREATE INDEX contacts_agent ON contacts (agent_id)",
                "CREATE INDEX contacts_queue ON contacts (queue_id)",
            ]),
    ]
}
