import SQLKit
import ServiceKit

/// `chat_counts`: how many chats each site has per UTC day and status, kept by triggers on `chats` in every
/// engine, so a history page's total reads a few hundred counter rows instead of every chat in its window.
enum ChatCounts {
    static let dayMilliseconds: Int64 = 86_400_000

    /// The table, its triggers (whatever writes a chat, the count follows in the same transaction), and the counts
    /// of the chats already stored.
    static let migration = Migration("livechat-006-chat-counts") { database, engine in
        try await database.raw(
            """
            CREATE TABLE chat_counts (
                site_id VARCHAR(32) NOT NULL, day BIGINT NOT NULL, status VARCHAR(16) NOT NULL, chat_count BIGINT NOT NULL,
                PRIMARY KEY (site_id, day, status)
            )
            """
        ).run()
        try await database.raw(
            """
            INSERT INTO chat_counts (site_id, day, status, chat_count)
            SELECT site_id, request_time / 86400000, status, COUNT(*) FROM chats GROUP BY site_id, request_time / 86400000, status
            """
        ).run()
        switch engine {
        case .sqlite:
            try await database.raw(
                """
                CREATE TRIGGER chats_counted AFTER INSERT ON chats BEGIN
                    INSERT INTO chat_counts (site_id, day, status, chat_count) VALUES (NEW.site_id, NEW.request_time / 86400000, NEW.status, 1)
                    ON CONFLICT (site_id, day, status) DO UPDATE SET chat_count = chat_count + 1;
                END
                """
            ).run()
            try await database.raw(
                """
                CREATE TRIGGER chats_recounted AFTER UPDATE OF status ON chats WHEN OLD.status <> NEW.status BEGIN
                    UPDATE chat_counts SET chat_count = chat_count - 1
                    WHERE site_id = OLD.site_id AND day = OLD.request_time / 86400000 AND status = OLD.status;
                    INSERT INTO chat_counts (site_id, day, status, chat_count) VALUES (NEW.site_id, NEW.request_time / 86400000, NEW.status, 1)
                    ON CONFLICT (site_id, day, status) DO UPDATE SET chat_count = chat_count + 1;
                END
                """
            ).run()
        case .postgres:
            try await database.raw(
                """
                CREATE FUNCTION chats_count() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        IF OLD.status = NEW.status THEN RETURN NEW; END IF;
                        UPDATE chat_counts SET chat_count = chat_count - 1
                        WHERE site_id = OLD.site_id AND day = OLD.request_time / 86400000 AND status = OLD.status;
                    END IF;
                    INSERT INTO chat_counts (site_id, day, status, chat_count) VALUES (NEW.site_id, NEW.request_time / 86400000, NEW.status, 1)
                    ON CONFLICT (site_id, day, status) DO UPDATE SET chat_count = chat_counts.chat_count + 1;
                    RETURN NEW;
                END
                $$
                """
            ).run()
            try await database.raw(
                "CREATE TRIGGER chats_counted AFTER INSERT OR UPDATE OF status ON chats FOR EACH ROW EXECUTE FUNCTION chats_count()"
            ).run()
        }
        // The agent filter and transcript search reach these by chat; the offline search by time.
        try await database.raw("CREATE INDEX chat_agents_agent ON chat_agents (agent_id)").run()
        try await database.raw("CREATE INDEX agent_chats_site_time ON agent_chats (site_id, started_at)").run()
    }
}
